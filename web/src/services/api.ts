import type { AgentView, ChatMessage, ChatRoom, Role, RoomStatus } from "@support-chat/contracts";
import { t } from "../i18n/text.js";
import { CLIENT_ERRORS, ChatRequestError } from "./errors.js";
import { apiUrl, gatewayToken } from "./gateway.js";

/** The gateway's REST API. Every error, the server's or the network's, is a ChatRequestError. */

export interface SignedIn {
  token: string;
  user: { id: string; name: string; role: Role };
  expiresAt: string;
}

export interface MessagePage {
  messages: ChatMessage[];
  /** More messages exist beyond this page, in the direction it was read. */
  hasMore: boolean;
  /** The room's last seq when the page was read. */
  lastSeq: number | null;
}

export type PageRequest = { after: number } | { before: number } | Record<string, never>;

interface Answer<T> {
  data: T;
  headers: Headers;
}

export const call = async <T>(method: string, path: string, body?: unknown): Promise<Answer<T>> => {
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = gatewayToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(apiUrl(path), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ChatRequestError(CLIENT_ERRORS.network, "Cannot reach the support server", true);
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (!response.ok) throw refusal(response.status, parsed);
  return { data: parsed as T, headers: response.headers };
};

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

const refusal = (status: number, body: unknown): ChatRequestError => {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === "string" ? error.code : `HTTP_${status}`;
  const message =
    typeof error?.message === "string" ? error.message : t("errors.requestFailed", { status });
  // A gateway that is restarting answers 502/503 through the proxy: worth another try.
  return new ChatRequestError(code, message, status === 502 || status === 503 || status === 504);
};

const roomPath = (roomId: string) => `/chat/room/${encodeURIComponent(roomId)}`;
const supportRoomPath = (roomId: string) => `/chat/support/room/${encodeURIComponent(roomId)}`;

export const api = {
  devToken: async (name: string, role: Role): Promise<SignedIn> =>
    (await call<SignedIn>("POST", "/auth/dev-token", { name, role })).data,

  /** The customer's open room, created on first use. */
  myRoom: async (): Promise<ChatRoom> => (await call<ChatRoom>("GET", "/chat/room")).data,

  room: async (roomId: string): Promise<ChatRoom> =>
    (await call<ChatRoom>("GET", roomPath(roomId))).data,

  messages: async (roomId: string, page: PageRequest, limit?: number): Promise<MessagePage> => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(page)) query.set(key, String(value));
    if (limit !== undefined) query.set("limit", String(limit));
    const search = query.toString();
    const suffix = search ? `?${search}` : "";
    const { data, headers } = await call<ChatMessage[]>(
      "GET",
      `${roomPath(roomId)}/messages${suffix}`,
    );
    const lastSeq = headers.get("X-Last-Seq");
    return {
      messages: Array.isArray(data) ? data : [],
      hasMore: headers.get("X-Has-More") === "true",
      lastSeq: lastSeq === null || lastSeq === "" ? null : Number(lastSeq),
    };
  },

  markRead: async (roomId: string, upToSeq?: number) =>
    (
      await call<{ roomId: string; upToSeq: number; unreadCount: number }>(
        "POST",
        `${roomPath(roomId)}/read`,
        upToSeq === undefined ? {} : { upToSeq },
      )
    ).data,

  closeRoom: async (roomId: string): Promise<ChatRoom> =>
    (await call<ChatRoom>("POST", `${roomPath(roomId)}/close`)).data,

  supportRooms: async (statuses: readonly RoomStatus[]): Promise<ChatRoom[]> => {
    const query = new URLSearchParams({ status: statuses.join(",") });
    return (await call<ChatRoom[]>("GET", `/chat/support/rooms?${query.toString()}`)).data;
  },

  /** An agent takes a waiting room (opening it in the console). */
  claim: async (roomId: string): Promise<ChatRoom> =>
    (await call<ChatRoom>("POST", `${supportRoomPath(roomId)}/assign`)).data,

  transfer: async (roomId: string, agentId: string): Promise<ChatRoom> =>
    (await call<ChatRoom>("POST", `${supportRoomPath(roomId)}/transfer`, { agentId })).data,

  agents: async (): Promise<AgentView[]> =>
    (await call<AgentView[]>("GET", "/chat/support/agents")).data,

  setCapacity: async (agentId: string, maxChats: number | null): Promise<AgentView> =>
    (
      await call<AgentView>("PUT", `/chat/support/agents/${encodeURIComponent(agentId)}/capacity`, {
        maxChats,
      })
    ).data,
};
