import {
  socketRooms,
  type ChatRoom,
  type RecordedRoomEvent,
  type RoomEventBody,
  type RoomViews,
} from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import { pushesFor } from "../src/domain/pushes.js";

const roomId = "0b6f2a8e-3c1d-4e5f-9a7b-1c2d3e4f5a6b";
const occurredAt = "2025-03-01T10:00:00.000Z";

const room = (overrides: Partial<ChatRoom> = {}): ChatRoom => ({
  id: roomId,
  userId: "cust-1",
  supportAgentId: "agent-7",
  status: "open",
  lastMessage: null,
  unreadCount: 0,
  createdAt: occurredAt,
  updatedAt: occurredAt,
  userName: "Carla",
  supportAgentName: "Ana",
  lastSeq: 0,
  lastMessageAt: null,
  closedAt: null,
  ...overrides,
});

const views = (overrides: Partial<ChatRoom> = {}): RoomViews => ({
  support: room({ unreadCount: 2, ...overrides }),
  customer: room(overrides),
});

const recorded = (body: RoomEventBody): RecordedRoomEvent => ({
  ...body,
  metadata: {
    eventId: "5d1e7a44-6c2b-4f0e-8d3a-9b8c7d6e5f40",
    streamId: `room-${roomId}`,
    streamPosition: 5,
    globalPosition: 17,
    actor: { id: "cust-1", name: "Carla", role: "customer" },
    correlationId: "req-1",
    causationId: null,
    occurredAt,
  },
});

const message = recorded({
  type: "MessagePosted",
  data: {
    roomId,
    messageId: "9f8e7d6c-5b4a-4321-8fed-cba987654321",
    seq: 3,
    clientMessageId: "c-3",
    senderId: "cust-1",
    senderName: "Carla",
    senderRole: "customer",
    isFromSupport: false,
    message: "Where is my order?",
  },
});

const supportViewTo = (event: RecordedRoomEvent, v: RoomViews) =>
  pushesFor(event, v).filter(
    (p) => p.event === "roomUpdated" && p.payload.room.unreadCount === v.support.unreadCount,
  );

describe("who gets a room's support view", () => {
  it("sends a message in an agent's room to that agent, not to every agent", () => {
    // given an open room of agent-7
    const v = views();
    // when a message is posted
    // then only agent-7 gets the support view
    expect(supportViewTo(message, v)).toEqual([
      {
        rooms: [socketRooms.user("agent-7")],
        event: "roomUpdated",
        payload: { room: v.support },
      },
    ]);
    expect(pushesFor(message, v).flatMap((p) => p.rooms)).not.toContain(socketRooms.agents);
  });

  it("sends a waiting room to every agent at once: it is in every agent's queue", () => {
    const v = views({ status: "waiting", supportAgentId: null, supportAgentName: null });
    expect(supportViewTo(message, v).map((p) => p.rooms)).toEqual([[socketRooms.agents]]);
  });

  it.each([
    recorded({
      type: "AgentAssigned",
      data: {
        roomId,
        agentId: "agent-7",
        agentName: "Ana",
        reason: "claimed",
        previousAgentId: null,
      },
    }),
    recorded({
      type: "RoomClosed",
      data: { roomId, closedBy: "cust-1", closedByRole: "customer" },
    }),
  ])("sends a room that moves between lists ($type) to every agent at once", (event) => {
    const v = views({ status: event.type === "RoomClosed" ? "closed" : "open" });
    expect(supportViewTo(event, v).map((p) => p.rooms)).toEqual([[socketRooms.agents]]);
  });

  it("always sends the customer their own view at once", () => {
    const v = views();
    const toCustomer = pushesFor(message, v).filter(
      (p) => p.event === "roomUpdated" && p.rooms.includes(socketRooms.user("cust-1")),
    );
    expect(toCustomer).toEqual([
      { rooms: [socketRooms.user("cust-1")], event: "roomUpdated", payload: { room: v.customer } },
    ]);
  });
});
