import { describe, expect, it } from "vitest";
import {
  applyRead,
  contiguousSeq,
  emptyConversation,
  isBehind,
  mergeBySeq,
  queueOutgoing,
  receive,
  unreadCount,
  withRoomSnapshot,
} from "../src/domain/conversation.js";
import { aMessage, aRoom, ROOM_ID } from "./fixtures.js";

const loaded = (...seqs: number[]) => ({
  ...emptyConversation(ROOM_ID),
  loaded: true,
  messages: seqs.map((s) => aMessage(s)),
});

describe("messages by seq", () => {
  it("orders by seq and keeps each seq once, whatever order they arrive in", () => {
    const merged = mergeBySeq([aMessage(1), aMessage(3)], [aMessage(3), aMessage(2), aMessage(4)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it("keeps a message read when a stale copy of it arrives", () => {
    const merged = mergeBySeq([aMessage(1, { isRead: true })], [aMessage(1)]);
    expect(merged[0]?.isRead).toBe(true);
  });

  it("finds the last seq before a hole", () => {
    expect(contiguousSeq([1, 2, 3, 6, 7].map((s) => aMessage(s)))).toBe(3);
    expect(contiguousSeq([41, 42].map((s) => aMessage(s)))).toBe(42);
    expect(contiguousSeq([])).toBe(0);
  });

  it("is behind when the server has more than the unbroken run", () => {
    expect(isBehind(loaded(1, 2, 5), 5)).toBe(true);
    expect(isBehind(loaded(1, 2, 3), 3)).toBe(false);
    expect(isBehind(emptyConversation(ROOM_ID), 9)).toBe(false);
  });

  it("settles an outgoing message when its confirmation arrives", () => {
    const out = {
      clientMessageId: "cmid-3",
      message: "hi",
      createdAt: "",
      state: "pending" as const,
      error: null,
    };
    const c = receive(queueOutgoing(loaded(1, 2), out), [aMessage(3, { fromCustomer: true })]);
    expect(c.outbox).toEqual([]);
    expect(c.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });
});

describe("unread counting from the viewer's side", () => {
  it("adds messages after the server's count to it, once each", () => {
    const c = withRoomSnapshot(loaded(), aRoom({ unreadCount: 2, lastSeq: 2 }));
    const after = receive(receive(c, [aMessage(3)]), [
      aMessage(3),
      aMessage(4, { fromCustomer: true }),
    ]);
    expect(unreadCount(after, "customer")).toBe(3);
  });

  it("does not count twice a message the server's snapshot already counted", () => {
    const c = receive(loaded(), [aMessage(1), aMessage(2)]);
    const snapshot = withRoomSnapshot(c, aRoom({ unreadCount: 2, lastSeq: 2 }));
    expect(unreadCount(snapshot, "customer")).toBe(2);
  });

  it("ignores a snapshot older than what is known", () => {
    const c = withRoomSnapshot(loaded(), aRoom({ unreadCount: 0, lastSeq: 5 }));
    expect(withRoomSnapshot(c, aRoom({ unreadCount: 4, lastSeq: 3 })).baseline).toEqual({
      count: 0,
      atSeq: 5,
    });
  });

  it("drops to zero once the viewer's side has read up to the last message", () => {
    const c = withRoomSnapshot(
      receive(loaded(), [aMessage(1), aMessage(2)]),
      aRoom({ unreadCount: 1, lastSeq: 1 }),
    );
    expect(unreadCount(c, "customer")).toBe(2);
    const read = applyRead(c, "customer", 2, "customer");
    expect(unreadCount(read, "customer")).toBe(0);
    expect(read.messages.every((m) => m.isRead)).toBe(true);
  });

  it("marks the viewer's own messages seen when the other side reads them", () => {
    const c = receive(loaded(), [aMessage(1, { fromCustomer: true }), aMessage(2)]);
    const read = applyRead(c, "support", 1, "customer");
    expect(read.messages.find((m) => m.seq === 1)?.isRead).toBe(true);
    expect(read.messages.find((m) => m.seq === 2)?.isRead).toBe(false);
    expect(unreadCount(read, "customer")).toBe(1);
  });
});
