import { describe, expect, it } from "vitest";
import type { ChatRoom, RecordedRoomEvent } from "@support-chat/contracts";
import {
  applyRoomEvent,
  emptyBook,
  forgetClosedBefore,
  loadsOf,
  observeRoom,
  observeRooms,
  queueOf,
  type RoomBook,
} from "../src/domain/rooms.js";
import { assigned, at, closed, opened, requeued, room } from "./fixtures.js";

const given = (...events: RecordedRoomEvent[]): RoomBook =>
  events.reduce((book, e) => applyRoomEvent(book, e).book, emptyBook());

const order = (book: RoomBook) => queueOf(book).map((r) => r.roomId);

const chatRoom = (id: string, fields: Partial<ChatRoom> = {}): ChatRoom => ({
  id,
  userId: "customer",
  supportAgentId: null,
  status: "waiting",
  lastMessage: null,
  unreadCount: 0,
  createdAt: new Date(at(0)).toISOString(),
  updatedAt: new Date(at(0)).toISOString(),
  userName: "Customer",
  supportAgentName: null,
  lastSeq: 0,
  lastMessageAt: null,
  closedAt: null,
  ...fields,
});

describe("the waiting queue", () => {
  it("serves waiting rooms first come, first served", () => {
    const book = given(
      opened(room(1), at(100)),
      opened(room(2), at(200)),
      opened(room(3), at(300)),
    );
    expect(order(book)).toEqual([room(1), room(2), room(3)]);
  });

  it("orders by the log, not by clocks that may disagree", () => {
    // given room 2 reached the log first, though its replica's clock ran behind
    const book = given(opened(room(2), at(200)), opened(room(1), at(100)));
    expect(order(book)).toEqual([room(2), room(1)]);
  });

  it("takes assigned and closed rooms out of the queue", () => {
    const book = given(
      opened(room(1), at(100)),
      opened(room(2), at(200)),
      opened(room(3), at(300)),
      assigned(room(1), "ann", 2, at(400)),
      closed(room(3), 2, at(500)),
    );
    expect(order(book)).toEqual([room(2)]);
  });

  it("puts a requeued room ahead of rooms that never had an agent", () => {
    const book = given(
      opened(room(1), at(100)),
      assigned(room(1), "ann", 2, at(150)),
      opened(room(2), at(200)),
      opened(room(3), at(300)),
      requeued(room(1), "ann", 3, at(400)),
    );
    expect(order(book)).toEqual([room(1), room(2), room(3)]);
  });

  it("serves requeued rooms in the order they were requeued", () => {
    const book = given(
      opened(room(1), at(100)),
      opened(room(2), at(110)),
      opened(room(3), at(120)),
      assigned(room(1), "ann", 2, at(150)),
      assigned(room(2), "ann", 2, at(150)),
      requeued(room(2), "ann", 3, at(400)),
      requeued(room(1), "ann", 3, at(500)),
    );
    expect(order(book)).toEqual([room(2), room(1), room(3)]);
  });

  it("forgets the requeue mark once the room is assigned again", () => {
    const book = given(
      opened(room(1), at(100)),
      assigned(room(1), "ann", 2, at(150)),
      requeued(room(1), "ann", 3, at(400)),
      assigned(room(1), "bob", 4, at(450)),
    );
    expect(book.rooms.get(room(1))).toMatchObject({
      status: "open",
      agentId: "bob",
      requeuedAt: null,
    });
  });
});

describe("agent load", () => {
  it("counts each agent's open rooms from the book", () => {
    const book = given(
      opened(room(1), at(1)),
      opened(room(2), at(2)),
      opened(room(3), at(3)),
      assigned(room(1), "ann", 2, at(10)),
      assigned(room(2), "ann", 2, at(11)),
      assigned(room(3), "bob", 2, at(12)),
      closed(room(2), 3, at(20)),
    );
    expect(Object.fromEntries(loadsOf(book))).toEqual({ ann: 1, bob: 1 });
  });

  it("moves the load with a transfer and drops it with a requeue", () => {
    const book = given(
      opened(room(1), at(1)),
      opened(room(2), at(2)),
      assigned(room(1), "ann", 2, at(10)),
      assigned(room(2), "ann", 2, at(11)),
      assigned(room(1), "bob", 3, at(12), "transferred"),
      requeued(room(2), "ann", 3, at(13)),
    );
    expect(Object.fromEntries(loadsOf(book))).toEqual({ bob: 1 });
  });
});

describe("redelivered and late events", () => {
  it("ignores an event it has already applied", () => {
    const assign = assigned(room(1), "ann", 2, at(10));
    const book = given(opened(room(1), at(1)), assign, requeued(room(1), "ann", 3, at(20)));
    const { book: after, outcome } = applyRoomEvent(book, assign);
    expect(outcome).toBe("ignored");
    expect(after.rooms.get(room(1))?.status).toBe("waiting");
  });

  it("never brings a closed room back", () => {
    const book = given(opened(room(1), at(1)), closed(room(1), 2, at(5)), opened(room(1), at(1)));
    expect(book.rooms.has(room(1))).toBe(false);
    expect(applyRoomEvent(book, assigned(room(1), "ann", 3, at(6))).outcome).toBe("ignored");
  });

  it("asks for a room it has never heard of", () => {
    const { outcome } = applyRoomEvent(emptyBook(), assigned(room(9), "ann", 2, at(1)));
    expect(outcome).toBe("unknown-room");
  });

  it("forgets tombstones only after they have served their purpose", () => {
    const book = given(opened(room(1), at(1)), closed(room(1), 2, at(5)));
    expect(forgetClosedBefore(book, at(5)).closed.has(room(1))).toBe(true);
    expect(forgetClosedBefore(book, at(6)).closed.has(room(1))).toBe(false);
  });
});

describe("rebuilding from the chat service's projection", () => {
  it("gives the same queue and loads as the events did", () => {
    // given a book built from events
    const fromEvents = given(
      opened(room(1), at(100)),
      opened(room(2), at(200)),
      opened(room(3), at(300)),
      assigned(room(1), "ann", 2, at(400)),
      assigned(room(2), "ann", 2, at(410)),
      requeued(room(2), "ann", 3, at(500)),
    );
    // when the same rooms are read back from the projection, with our requeue record
    const rooms = [
      chatRoom(room(3), { createdAt: new Date(at(300)).toISOString() }),
      chatRoom(room(1), { status: "open", supportAgentId: "ann", supportAgentName: "Ann" }),
      chatRoom(room(2), { createdAt: new Date(at(200)).toISOString() }),
    ];
    const requeues = new Map([[room(2), at(500)]]);
    const rebuilt = observeRooms(emptyBook(), rooms, requeues, at(600));
    // then queue and loads agree
    expect(order(rebuilt)).toEqual(order(fromEvents));
    expect(loadsOf(rebuilt)).toEqual(loadsOf(fromEvents));
  });

  it("lets newer events move a room read from the projection", () => {
    // given a room read from the projection (its stream position unknown)
    const book = observeRoom(emptyBook(), chatRoom(room(1)), null, at(0));
    // when its assignment arrives
    const { book: after } = applyRoomEvent(book, assigned(room(1), "ann", 2, at(10)));
    // then it is open with ann
    expect(after.rooms.get(room(1))).toMatchObject({ status: "open", agentId: "ann" });
  });

  it("keeps a waiting room's place when the projection shows it again", () => {
    const book = given(opened(room(1), at(100)), opened(room(2), at(200)));
    const again = observeRoom(
      book,
      chatRoom(room(1), { createdAt: new Date(at(100)).toISOString() }),
      null,
      at(300),
    );
    expect(order(again)).toEqual([room(1), room(2)]);
  });

  it("keeps a room we requeued ourselves in place when its event arrives", () => {
    // given room 1 requeued by us (seen from the chat service's reply), then room 2 opened
    let book = given(opened(room(1), at(100)), assigned(room(1), "ann", 2, at(110)));
    book = observeRoom(book, chatRoom(room(1)), at(150), at(150));
    book = applyRoomEvent(book, opened(room(2), at(160))).book;
    const r1 = book.rooms.get(room(1));
    // when the RoomRequeued event arrives later
    book = applyRoomEvent(book, requeued(room(1), "ann", 3, at(150))).book;
    // then room 1 keeps its place at the front
    expect(book.rooms.get(room(1))?.ticket).toBe(r1?.ticket);
    expect(order(book)).toEqual([room(1), room(2)]);
  });

  it("drops a room the projection says is closed", () => {
    const book = given(opened(room(1), at(1)));
    const after = observeRoom(book, chatRoom(room(1), { status: "closed" }), null, at(10));
    expect(after.rooms.has(room(1))).toBe(false);
    expect(after.closed.has(room(1))).toBe(true);
  });
});
