import type { ChatRoom, RecordedRoomEvent } from "@support-chat/contracts";

/**
 * The rooms that matter to routing: waiting ones (the queue) and open ones (agents' load).
 * Closed rooms leave the book; a tombstone remembers them for a while so a late or redelivered
 * event cannot bring them back.
 */
export type TrackedRoom = Readonly<{
  roomId: string;
  customerId: string;
  status: "waiting" | "open";
  agentId: string | null;
  agentName: string | null;
  /** When the room last started waiting (opened or requeued), ms since the epoch. */
  waitingSince: number;
  /** Set while a room waits after losing its agent: such rooms are served first. */
  requeuedAt: number | null;
  /**
   * The order in which the room joined the queue, as the log told us (not by anyone's clock:
   * two chat replicas' clocks may disagree, the log's order does not).
   */
  ticket: number;
  /** Stream position of the last event applied; 0 when known only from a projection read. */
  version: number;
}>;

export type RoomBook = Readonly<{
  rooms: ReadonlyMap<string, TrackedRoom>;
  /** roomId → when we learned it closed. */
  closed: ReadonlyMap<string, number>;
  nextTicket: number;
}>;

export const emptyBook = (): RoomBook => ({ rooms: new Map(), closed: new Map(), nextTicket: 1 });

export type EventOutcome =
  /** The book changed (or the event moved a room's version). */
  | "applied"
  /** Already seen, older than what we know, or about a closed room. */
  | "ignored"
  /** About a room we have never seen: the caller should read it from the chat service. */
  | "unknown-room";

const put = (book: RoomBook, room: TrackedRoom): RoomBook => {
  const rooms = new Map(book.rooms);
  rooms.set(room.roomId, room);
  return { ...book, rooms, nextTicket: Math.max(book.nextTicket, room.ticket + 1) };
};

const close = (book: RoomBook, roomId: string, at: number): RoomBook => {
  const rooms = new Map(book.rooms);
  rooms.delete(roomId);
  const closed = new Map(book.closed);
  closed.set(roomId, at);
  return { ...book, rooms, closed };
};

/** Folds one room event into the book. Pure; redelivered and stale events change nothing. */
export const applyRoomEvent = (
  book: RoomBook,
  event: RecordedRoomEvent,
): { book: RoomBook; outcome: EventOutcome } => {
  const { roomId } = event.data;
  const { streamPosition: version, occurredAt } = event.metadata;
  const at = Date.parse(occurredAt);
  if (book.closed.has(roomId)) return { book, outcome: "ignored" };
  const room = book.rooms.get(roomId);
  if (event.type === "RoomClosed") return { book: close(book, roomId, at), outcome: "applied" };
  if (room === undefined) {
    if (event.type !== "RoomOpened") return { book, outcome: "unknown-room" };
    const opened: TrackedRoom = {
      roomId,
      customerId: event.data.customerId,
      status: "waiting",
      agentId: null,
      agentName: null,
      waitingSince: at,
      requeuedAt: null,
      ticket: book.nextTicket,
      version,
    };
    return { book: put(book, opened), outcome: "applied" };
  }
  if (version <= room.version) return { book, outcome: "ignored" };
  return {
    book: put(book, evolveRoom(room, event, version, at, book.nextTicket)),
    outcome: "applied",
  };
};

const evolveRoom = (
  room: TrackedRoom,
  event: RecordedRoomEvent,
  version: number,
  at: number,
  nextTicket: number,
): TrackedRoom => {
  switch (event.type) {
    case "AgentAssigned":
      return {
        ...room,
        status: "open",
        agentId: event.data.agentId,
        agentName: event.data.agentName,
        requeuedAt: null,
        version,
      };
    case "RoomRequeued":
      // Already back in the queue when we requeued it ourselves: it keeps its place.
      if (room.status === "waiting" && room.requeuedAt !== null) return { ...room, version };
      return {
        ...room,
        status: "waiting",
        agentId: null,
        agentName: null,
        waitingSince: at,
        requeuedAt: at,
        ticket: nextTicket,
        version,
      };
    default:
      return { ...room, version };
  }
};

/**
 * Takes a room as the chat service's projection shows it (at start, or after the chat service
 * refused an assignment because our view was behind). `requeuedAt` comes from our own record
 * of requeues, since the projection does not say whether a waiting room ever had an agent.
 */
export const observeRoom = (
  book: RoomBook,
  room: ChatRoom,
  requeuedAt: number | null,
  now: number,
): RoomBook => {
  if (room.status === "closed") return close(book, room.id, now);
  if (book.closed.has(room.id)) return book;
  const known = book.rooms.get(room.id);
  if (room.status === "open" && room.supportAgentId !== null) {
    return put(book, {
      roomId: room.id,
      customerId: room.userId,
      status: "open",
      agentId: room.supportAgentId,
      agentName: room.supportAgentName,
      waitingSince: known?.waitingSince ?? Date.parse(room.createdAt),
      requeuedAt: null,
      ticket: known?.ticket ?? book.nextTicket,
      version: known?.version ?? 0,
    });
  }
  const wasWaiting = known?.status === "waiting";
  const requeued = wasWaiting ? known.requeuedAt : requeuedAt;
  return put(book, {
    roomId: room.id,
    customerId: room.userId,
    status: "waiting",
    agentId: null,
    agentName: null,
    waitingSince: wasWaiting ? known.waitingSince : (requeued ?? Date.parse(room.createdAt)),
    requeuedAt: requeued,
    ticket: wasWaiting ? known.ticket : book.nextTicket,
    version: known?.version ?? 0,
  });
};

/**
 * Takes many rooms read from the projection at once (rebuilding at start). The projection has
 * no log order to give, so waiting rooms new to us join the queue in the order they started
 * waiting by the chat service's clock: requeue time for requeued ones, opening time otherwise.
 */
export const observeRooms = (
  book: RoomBook,
  rooms: readonly ChatRoom[],
  requeuedAt: ReadonlyMap<string, number>,
  now: number,
): RoomBook => {
  const since = (r: ChatRoom) => requeuedAt.get(r.id) ?? Date.parse(r.createdAt);
  return [...rooms]
    .sort((a, b) => since(a) - since(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .reduce((b, r) => observeRoom(b, r, requeuedAt.get(r.id) ?? null, now), book);
};

/** Tombstones only need to outlive redelivery; old ones are dropped. */
export const forgetClosedBefore = (book: RoomBook, cutoff: number): RoomBook => {
  const kept = [...book.closed].filter(([, at]) => at >= cutoff);
  return kept.length === book.closed.size ? book : { ...book, closed: new Map(kept) };
};

/** Rooms that lost their agent go first; within each group, first come, first served. */
const byQueueOrder = (a: TrackedRoom, b: TrackedRoom): number => {
  if (a.requeuedAt !== null && b.requeuedAt === null) return -1;
  if (a.requeuedAt === null && b.requeuedAt !== null) return 1;
  return a.ticket - b.ticket;
};

/** Waiting rooms in the order they will be served. */
export const queueOf = (book: RoomBook): TrackedRoom[] =>
  [...book.rooms.values()].filter((r) => r.status === "waiting").sort(byQueueOrder);

/** Open rooms per agent, counted from the book each time (never a running counter). */
export const loadsOf = (book: RoomBook): Map<string, number> => {
  const loads = new Map<string, number>();
  for (const room of book.rooms.values()) {
    if (room.status === "open" && room.agentId !== null) {
      loads.set(room.agentId, (loads.get(room.agentId) ?? 0) + 1);
    }
  }
  return loads;
};

export const openRoomsOf = (book: RoomBook, agentId: string): TrackedRoom[] =>
  [...book.rooms.values()].filter((r) => r.status === "open" && r.agentId === agentId);
