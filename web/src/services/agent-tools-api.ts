import type { ChatRoom, RoomNote, SearchHit } from "@support-chat/contracts";
import { call } from "./api.js";

const supportRoomPath = (roomId: string) => `/chat/support/room/${encodeURIComponent(roomId)}`;

export interface SearchPage {
  results: SearchHit[];
  hasMore: boolean;
}

/** Support staff's tools on the gateway: private notes, labels and search. */
export const agentToolsApi = {
  notes: async (roomId: string): Promise<RoomNote[]> =>
    (await call<RoomNote[]>("GET", `${supportRoomPath(roomId)}/notes`)).data,

  addNote: async (roomId: string, text: string, clientNoteId: string): Promise<RoomNote> =>
    (await call<RoomNote>("POST", `${supportRoomPath(roomId)}/notes`, { text, clientNoteId })).data,

  addLabel: async (roomId: string, label: string): Promise<ChatRoom> =>
    (await call<ChatRoom>("POST", `${supportRoomPath(roomId)}/labels`, { label })).data,

  removeLabel: async (roomId: string, label: string): Promise<ChatRoom> =>
    (
      await call<ChatRoom>(
        "DELETE",
        `${supportRoomPath(roomId)}/labels/${encodeURIComponent(label)}`,
      )
    ).data,

  search: async (
    q: string,
    options: { label?: string; offset?: number; limit?: number } = {},
  ): Promise<SearchPage> => {
    const query = new URLSearchParams({ q });
    if (options.label) query.set("label", options.label);
    if (options.offset) query.set("offset", String(options.offset));
    if (options.limit) query.set("limit", String(options.limit));
    const { data, headers } = await call<SearchHit[]>(
      "GET",
      `/chat/support/search?${query.toString()}`,
    );
    return {
      results: Array.isArray(data) ? data : [],
      hasMore: headers.get("X-Has-More") === "true",
    };
  },
};
