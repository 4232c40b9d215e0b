import { createPinia, setActivePinia } from "pinia";
import { vi } from "vitest";
import type { ChatMessage, ChatRoom } from "@support-chat/contracts";
import { api, type MessagePage, type PageRequest } from "../src/services/api.js";
import { socketService } from "../src/services/socket.js";

/**
 * Stores are tested against their real collaborators' interfaces: the REST client and the
 * socket service are replaced by fakes that answer like the gateway does.
 */
export interface FakeServer {
  /** Every message the server holds for the room, by seq. */
  messages: ChatMessage[];
  room: ChatRoom;
  connected: boolean;
  requests: { event: string; payload: Record<string, unknown> }[];
  pageRequests: PageRequest[];
  /** Answers a socket request; by default the gateway's usual answers. */
  answer: (event: string, payload: Record<string, unknown>) => Promise<unknown>;
}

export const pageOf = (all: ChatMessage[], page: PageRequest, limit = 50): MessagePage => {
  const sorted = [...all].sort((a, b) => a.seq - b.seq);
  if ("after" in page) {
    const rows = sorted.filter((m) => m.seq > page.after);
    return {
      messages: rows.slice(0, limit),
      hasMore: rows.length > limit,
      lastSeq: sorted.at(-1)?.seq ?? 0,
    };
  }
  const rows = "before" in page ? sorted.filter((m) => m.seq < page.before) : sorted;
  return {
    messages: rows.slice(-limit),
    hasMore: rows.length > limit,
    lastSeq: sorted.at(-1)?.seq ?? 0,
  };
};

export const fakeServer = (room: ChatRoom, messages: ChatMessage[] = []): FakeServer => {
  setActivePinia(createPinia());
  // The widget comes back to the room this browser already had.
  localStorage.setItem(`support-chat:widget-room:cust-1`, room.id);
  const server: FakeServer = {
    messages,
    room,
    connected: true,
    requests: [],
    pageRequests: [],
    answer: async (event, payload) => {
      switch (event) {
        case "joinRoom":
          return server.room;
        case "markRead":
          return {
            roomId: payload.roomId,
            side: "customer",
            upToSeq: payload.upToSeq,
            unreadCount: 0,
          };
        case "typing":
        case "leaveRoom":
          return { roomId: payload.roomId };
        default:
          throw new Error(`no answer for ${event}`);
      }
    },
  };
  vi.spyOn(socketService, "connect").mockImplementation(() => undefined);
  vi.spyOn(socketService, "connected", "get").mockImplementation(() => server.connected);
  vi.spyOn(socketService, "request").mockImplementation((async (
    event: string,
    payload: Record<string, unknown>,
  ) => {
    server.requests.push({ event, payload });
    return server.answer(event, payload);
  }) as never);
  vi.spyOn(api, "myRoom").mockImplementation(async () => server.room);
  vi.spyOn(api, "room").mockImplementation(async () => server.room);
  vi.spyOn(api, "messages").mockImplementation(async (_roomId, page, limit) => {
    server.pageRequests.push(page);
    return pageOf(server.messages, page, limit);
  });
  vi.spyOn(api, "agents").mockImplementation(async () => []);
  vi.spyOn(api, "supportRooms").mockImplementation(async () => [server.room]);
  vi.spyOn(api, "claim").mockImplementation(async () => {
    server.room = {
      ...server.room,
      status: "open",
      supportAgentId: "agent-1",
      supportAgentName: "Alex",
    };
    return server.room;
  });
  vi.spyOn(api, "closeRoom").mockImplementation(async () => {
    server.room = { ...server.room, status: "closed" };
    return server.room;
  });
  vi.spyOn(api, "markRead").mockImplementation(async (roomId, upToSeq) => ({
    roomId,
    upToSeq: upToSeq ?? 0,
    unreadCount: 0,
  }));
  return server;
};

export const requestsOf = (server: FakeServer, event: string) =>
  server.requests.filter((r) => r.event === event).map((r) => r.payload);
