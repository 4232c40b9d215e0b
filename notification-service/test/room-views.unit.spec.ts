import type {
  ChatRoom,
  RecordedRoomEvent,
  RoomEventBody,
  RoomViews,
} from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import { readViews, viewsAfter, type KnownViews } from "../src/domain/room-views.js";

const roomId = "0b6f2a8e-3c1d-4e5f-9a7b-1c2d3e4f5a6b";
const opened = "2025-03-01T10:00:00.000Z";
const later = "2025-03-01T10:05:00.000Z";

const room = (overrides: Partial<ChatRoom> = {}): ChatRoom => ({
  id: roomId,
  userId: "cust-1",
  supportAgentId: "agent-7",
  status: "open",
  lastMessage: "hello",
  unreadCount: 0,
  createdAt: opened,
  updatedAt: opened,
  userName: "Carla",
  supportAgentName: "Ana",
  lastSeq: 4,
  lastMessageAt: opened,
  closedAt: null,
  ...overrides,
});

const known = (
  version: number,
  support: Partial<ChatRoom> = {},
  customer: Partial<ChatRoom> = {},
): KnownViews => ({
  version,
  views: { support: room({ labels: ["refund"], ...support }), customer: room(customer) },
});

const at = (position: number, body: RoomEventBody, occurredAt = later): RecordedRoomEvent => ({
  ...body,
  metadata: {
    eventId: "5d1e7a44-6c2b-4f0e-8d3a-9b8c7d6e5f40",
    streamId: `room-${roomId}`,
    streamPosition: position,
    globalPosition: 100 + position,
    actor: { id: "cust-1", name: "Carla", role: "customer" },
    correlationId: "req-1",
    causationId: null,
    occurredAt,
  },
});

const posted = (seq: number, isFromSupport: boolean, message = `message ${seq}`) =>
  ({
    type: "MessagePosted",
    data: {
      roomId,
      messageId: "9f8e7d6c-5b4a-4321-8fed-cba987654321",
      seq,
      clientMessageId: `c-${seq}`,
      senderId: isFromSupport ? "agent-7" : "cust-1",
      senderName: isFromSupport ? "Ana" : "Carla",
      senderRole: isFromSupport ? "agent" : "customer",
      isFromSupport,
      message,
    },
  }) as const;

const read = (side: "customer" | "support", upToSeq: number) =>
  ({
    type: "MessagesRead",
    data: { roomId, readerId: side === "customer" ? "cust-1" : "agent-7", side, upToSeq },
  }) as const;

describe("room views moved on by the next event", () => {
  it("counts a customer's message unread for support only, and shows it as the last", () => {
    // given views at version 6 with unread messages on both sides
    const before = known(6, { unreadCount: 2 }, { unreadCount: 1 });
    // when the customer's message is the room's 7th event
    const after = viewsAfter(before, at(7, posted(5, false, "any news?")));
    // then
    expect(after?.version).toBe(7);
    expect(after?.views.support).toEqual({
      ...before.views.support,
      unreadCount: 3,
      lastMessage: "any news?",
      lastSeq: 5,
      lastMessageAt: later,
      updatedAt: later,
    });
    expect(after?.views.customer).toMatchObject({ unreadCount: 1, lastSeq: 5 });
  });

  it("counts support's message unread for the customer", () => {
    const after = viewsAfter(known(6), at(7, posted(5, true)));
    expect(after?.views.customer.unreadCount).toBe(1);
    expect(after?.views.support.unreadCount).toBe(0);
  });

  it("shows an attachment's name as the last message when the message has no text", () => {
    const body = posted(5, false, "");
    const withFile = {
      ...body,
      data: {
        ...body.data,
        attachments: [
          {
            id: "3f2e1d0c-9b8a-4765-8432-10fedcba9876",
            name: "receipt.pdf",
            contentType: "application/pdf",
            size: 1200,
          },
        ],
      },
    } as RoomEventBody;
    const after = viewsAfter(known(6), at(7, withFile));
    expect(after?.views.support.lastMessage).toContain("receipt.pdf");
  });

  it("clears the reader's unread count when they read to the last message", () => {
    const after = viewsAfter(
      known(6, { unreadCount: 3 }, { unreadCount: 2 }),
      at(7, read("support", 4)),
    );
    expect(after?.views.support).toMatchObject({ unreadCount: 0, updatedAt: later });
    expect(after?.views.customer).toMatchObject({ unreadCount: 2, updatedAt: later });
  });

  it("cannot tell what is left unread after reading to the middle", () => {
    expect(viewsAfter(known(6, { unreadCount: 3 }), at(7, read("support", 2)))).toBeUndefined();
  });

  it("follows assignment, requeue and closing", () => {
    const waiting = known(3, { status: "waiting", supportAgentId: null, supportAgentName: null });
    const assigned = viewsAfter(
      waiting,
      at(4, {
        type: "AgentAssigned",
        data: {
          roomId,
          agentId: "agent-9",
          agentName: "Bo",
          reason: "routed",
          previousAgentId: null,
        },
      }),
    );
    expect(assigned?.views.support).toMatchObject({
      status: "open",
      supportAgentId: "agent-9",
      supportAgentName: "Bo",
      updatedAt: later,
    });
    const requeued = viewsAfter(
      assigned,
      at(5, {
        type: "RoomRequeued",
        data: { roomId, previousAgentId: "agent-9", reason: "manual" },
      }),
    );
    expect(requeued?.views.customer).toMatchObject({
      status: "waiting",
      supportAgentId: null,
      supportAgentName: null,
    });
    const closed = viewsAfter(
      requeued,
      at(6, { type: "RoomClosed", data: { roomId, closedBy: "cust-1", closedByRole: "customer" } }),
    );
    expect(closed?.views.customer).toMatchObject({ status: "closed", closedAt: later });
    expect(closed?.version).toBe(6);
  });

  it("keeps what it does not change, such as support's labels", () => {
    const after = viewsAfter(known(6), at(7, posted(5, true)));
    expect(after?.views.support.labels).toEqual(["refund"]);
    expect(after?.views.customer.labels).toBeUndefined();
  });
});

describe("when the views must be read instead", () => {
  it("reads a room it knows nothing of", () => {
    expect(viewsAfter(undefined, at(1, posted(1, false)))).toBeUndefined();
  });

  it("reads after a gap: an event in between was handled elsewhere", () => {
    expect(viewsAfter(known(6), at(8, posted(6, false)))).toBeUndefined();
  });

  it("reads for an event whose effect on the room it does not know", () => {
    const opened_: RoomEventBody = {
      type: "RoomOpened",
      data: { roomId, customerId: "cust-1", customerName: "Carla" },
    };
    expect(viewsAfter(known(0), at(1, opened_))).toBeUndefined();
  });

  it("answers an event it has already seen with the views it has", () => {
    const views = known(9);
    expect(viewsAfter(views, at(7, posted(5, false)))).toBe(views);
  });

  it("takes read views at their own version, or at the event's when the event left the room row alone", () => {
    const views: RoomViews = { ...known(0).views, version: 12 };
    expect(readViews(views, at(10, posted(8, false))).version).toBe(12);
    expect(readViews({ ...views, version: 9 }, at(10, posted(8, false))).version).toBe(10);
  });
});
