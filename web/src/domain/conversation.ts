import type { AttachmentDescriptor, ChatMessage, ChatRoom } from "@support-chat/contracts";

/**
 * One conversation as a client holds it, and the pure rules that keep it right: messages are
 * ordered and de-duplicated by `seq` (never by time), unacknowledged sends wait in an outbox
 * under their clientMessageId, and unread counts are from the viewer's side.
 */

export type Viewer = "customer" | "support";

export type OutgoingState = "pending" | "failed";

export interface OutgoingMessage {
  clientMessageId: string;
  message: string;
  createdAt: string;
  state: OutgoingState;
  error: string | null;
  /** Already uploaded to the room; sent by id with the message. */
  attachments?: AttachmentDescriptor[];
}

/** What the server last told us about unread messages: `count` of them up to `atSeq`. */
export interface UnreadBaseline {
  count: number;
  atSeq: number;
}

export interface Conversation {
  roomId: string;
  /** Ascending by seq, each seq once. */
  messages: ChatMessage[];
  /** Sent by this client and not acknowledged yet, in the order they were written. */
  outbox: OutgoingMessage[];
  baseline: UnreadBaseline;
  /** The first page has been read from the server: from here on gaps can be detected. */
  loaded: boolean;
  /** Older messages exist before the first one held. */
  hasOlder: boolean;
}

export const emptyConversation = (roomId: string): Conversation => ({
  roomId,
  messages: [],
  outbox: [],
  baseline: { count: 0, atSeq: 0 },
  loaded: false,
  hasOlder: false,
});

/** Merges messages by seq; a message seen again keeps the newest read state. */
export const mergeBySeq = (
  known: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): ChatMessage[] => {
  const last = known.at(-1);
  const onlyNewer = incoming.every((m, i) => m.seq > (incoming[i - 1]?.seq ?? last?.seq ?? 0));
  if (onlyNewer && (!last || (incoming[0]?.seq ?? 0) > last.seq)) return [...known, ...incoming];
  const bySeq = new Map<number, ChatMessage>();
  for (const m of known) bySeq.set(m.seq, m);
  for (const m of incoming) {
    const before = bySeq.get(m.seq);
    bySeq.set(m.seq, before ? { ...m, isRead: before.isRead || m.isRead } : m);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
};

/**
 * The last seq up to which the held messages have no hole, counted from the first one held.
 * Catching up always starts here, so a message that arrived past a gap cannot hide the gap.
 */
export const contiguousSeq = (messages: readonly ChatMessage[]): number => {
  let seq = messages[0]?.seq ?? 0;
  for (const m of messages.slice(1)) {
    if (m.seq !== seq + 1) break;
    seq = m.seq;
  }
  return seq;
};

export const firstSeq = (c: Conversation): number | null => c.messages[0]?.seq ?? null;
export const lastSeq = (c: Conversation): number => c.messages.at(-1)?.seq ?? 0;

/** Adds confirmed messages and settles the outbox entries they confirm. */
export const receive = (c: Conversation, incoming: readonly ChatMessage[]): Conversation => {
  if (incoming.length === 0) return c;
  const confirmed = new Set(incoming.map((m) => m.clientMessageId));
  return {
    ...c,
    messages: mergeBySeq(c.messages, incoming),
    outbox: c.outbox.filter((o) => !confirmed.has(o.clientMessageId)),
  };
};

/** True when the server has messages this client has not seen (a gap or a missed tail). */
export const isBehind = (c: Conversation, serverLastSeq: number): boolean =>
  c.loaded && serverLastSeq > contiguousSeq(c.messages);

export const queueOutgoing = (c: Conversation, out: OutgoingMessage): Conversation => ({
  ...c,
  outbox: [...c.outbox.filter((o) => o.clientMessageId !== out.clientMessageId), out],
});

export const setOutgoingState = (
  c: Conversation,
  clientMessageId: string,
  state: OutgoingState,
  error: string | null = null,
): Conversation => ({
  ...c,
  outbox: c.outbox.map((o) => (o.clientMessageId === clientMessageId ? { ...o, state, error } : o)),
});

const fromOtherSide = (m: ChatMessage, viewer: Viewer): boolean =>
  viewer === "customer" ? m.isFromSupport : !m.isFromSupport;

/** Unread from the viewer's side: the server's count, plus later messages not read yet. */
export const unreadCount = (c: Conversation, viewer: Viewer): number =>
  c.baseline.count +
  c.messages.filter((m) => m.seq > c.baseline.atSeq && fromOtherSide(m, viewer) && !m.isRead)
    .length;

/** Takes the server's count from a room snapshot unless it is older than what we know. */
export const withRoomSnapshot = (c: Conversation, room: ChatRoom): Conversation =>
  room.lastSeq < c.baseline.atSeq
    ? c
    : { ...c, baseline: { count: room.unreadCount, atSeq: room.lastSeq } };

/**
 * Someone read up to `upToSeq`. When it is the viewer's side, the other side's messages up to
 * there are read (and the server's count with them); when it is the other side, the viewer's
 * own messages are (read receipts).
 */
export const applyRead = (
  c: Conversation,
  readerSide: Viewer,
  upToSeq: number,
  viewer: Viewer,
): Conversation => {
  const ownSide = readerSide === viewer;
  const messages = c.messages.map((m) =>
    m.seq <= upToSeq && !m.isRead && fromOtherSide(m, viewer) === ownSide
      ? { ...m, isRead: true }
      : m,
  );
  if (!ownSide) return { ...c, messages };
  // Everything up to upToSeq is read, so what the server had counted up to there is too.
  const baseline = upToSeq >= c.baseline.atSeq ? { count: 0, atSeq: upToSeq } : c.baseline;
  return { ...c, messages, baseline };
};

/** The newest seq from the other side, the one to mark as read. */
export const lastFromOtherSide = (c: Conversation, viewer: Viewer): number | null => {
  for (let i = c.messages.length - 1; i >= 0; i--) {
    const m = c.messages[i];
    if (m && fromOtherSide(m, viewer)) return m.seq;
  }
  return null;
};
