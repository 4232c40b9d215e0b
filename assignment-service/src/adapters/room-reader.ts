import { DomainError } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { onRoomObserved, onRoomsObserved } from "../domain/state.js";
import type { ChatClient } from "./chat-client.js";
import type { LiveState } from "./live-state.js";
import type { AgentStore } from "./store/agent-store.js";

type Deps = { chat: ChatClient; store: AgentStore; live: LiveState };

/** Reads one room from the chat service's projection into our state. */
export const readRoom = async (roomId: string, { chat, store, live }: Deps): Promise<void> => {
  let room;
  try {
    room = await chat.getRoom(roomId);
  } catch (e) {
    if (e instanceof DomainError && e.code === "NOT_FOUND") return;
    throw e;
  }
  const marks = await store.requeueMarks(room.status === "waiting" ? [room.id] : []);
  live.update((s, now) => onRoomObserved(s, room, marks.get(room.id) ?? null, now, live.rules));
};

/** Reads an agent's open rooms back after the chat service said our count was behind. */
export const readAgentRooms = async (agentId: string, deps: Deps): Promise<void> => {
  const { chat, live } = deps;
  const rooms = await chat.openRoomsOf(agentId);
  const listed = new Set(rooms.map((r) => r.id));
  live.update((s, now) => onRoomsObserved(s, rooms, new Map(), now, live.rules));
  // Rooms we still count for the agent but the chat service does not: read each one back.
  const stale = [...live.get().rooms.rooms.values()].filter(
    (r) => r.status === "open" && r.agentId === agentId && !listed.has(r.roomId),
  );
  for (const room of stale) await readRoom(room.roomId, deps);
};

/**
 * Rebuilds the queue and the loads from the chat service's projection: at start (before the
 * room events are read, so none is missed in between) and when this replica takes over routing.
 */
export const readAllRooms = async (deps: Deps, log: Logger): Promise<void> => {
  const { chat, store, live } = deps;
  const { rooms, truncated } = await chat.activeRooms();
  if (truncated) log.warn({ rooms: rooms.length }, "more active rooms than one page; some unseen");
  const marks = await store.requeueMarks(
    rooms.filter((r) => r.status === "waiting").map((r) => r.id),
  );
  live.update((s, now) => onRoomsObserved(s, rooms, marks, now, live.rules));
  if (truncated) return;
  // Rooms we track that the projection no longer lists have closed, or have just opened: ask.
  const listed = new Set(rooms.map((r) => r.id));
  const unlisted = [...live.get().rooms.rooms.keys()].filter((id) => !listed.has(id));
  for (const roomId of unlisted) await readRoom(roomId, deps);
};
