import {
  serverEvents,
  socketRooms,
  type ChatRoom,
  type RecordedRoomEvent,
  type RoomEventBody,
  type RoomViews,
} from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import { pushesFor, type Push } from "../src/domain/pushes.js";

const roomId = "0b6f2a8e-3c1d-4e5f-9a7b-1c2d3e4f5a6b";
const customerId = "cust-1";
const occurredAt = "2025-03-01T10:00:00.000Z";

const room = (overrides: Partial<ChatRoom> = {}): ChatRoom => ({
  id: roomId,
  userId: customerId,
  supportAgentId: null,
  status: "waiting",
  lastMessage: null,
  unreadCount: 0,
  createdAt: occurredAt,
  updatedAt: occurredAt,
  userName: "Carla",
  supportAgentName: null,
  lastSeq: 0,
  lastMessageAt: null,
  closedAt: null,
  ...overrides,
});

const views = (support: Partial<ChatRoom> = {}, customer: Partial<ChatRoom> = {}): RoomViews => ({
  support: room(support),
  customer: room({ ...support, ...customer }),
});

const recorded = (body: RoomEventBody): RecordedRoomEvent => ({
  ...body,
  metadata: {
    eventId: "5d1e7a44-6c2b-4f0e-8d3a-9b8c7d6e5f40",
    streamId: `room-${roomId}`,
    streamPosition: 2,
    globalPosition: 17,
    actor: { id: customerId, name: "Carla", role: "customer" },
    correlationId: "req-1",
    causationId: null,
    occurredAt,
  },
});

const posted = (overrides: Partial<Extract<RoomEventBody, { type: "MessagePosted" }>["data"]>) =>
  recorded({
    type: "MessagePosted",
    data: {
      roomId,
      messageId: "9f8e7d6c-5b4a-4321-8fed-cba987654321",
      seq: 1,
      clientMessageId: "c-1",
      senderId: customerId,
      senderName: "Carla",
      senderRole: "customer",
      isFromSupport: false,
      message: "Where is my order?",
      ...overrides,
    },
  });

const eventPushes = (pushes: Push[]) => pushes.filter((p) => p.event !== "roomUpdated");

const conversation = [socketRooms.room(roomId), socketRooms.user(customerId)];

describe("pushes for an event", () => {
  it("sends a customer's first message to the conversation and asks every agent for help", () => {
    // given a waiting room and the customer's first message
    const v = views({ lastSeq: 1, lastMessage: "Where is my order?", unreadCount: 1 });
    // when
    const pushes = pushesFor(posted({}), v);
    // then
    expect(eventPushes(pushes)).toEqual([
      {
        rooms: conversation,
        event: "newMessage",
        payload: {
          id: "9f8e7d6c-5b4a-4321-8fed-cba987654321",
          chatRoomId: roomId,
          roomId,
          senderId: customerId,
          senderName: "Carla",
          senderRole: "customer",
          message: "Where is my order?",
          isRead: false,
          isFromSupport: false,
          createdAt: occurredAt,
          seq: 1,
          clientMessageId: "c-1",
          attachments: [],
        },
      },
      {
        rooms: [socketRooms.agents],
        event: "newChatRequest",
        payload: {
          roomId,
          userId: customerId,
          userName: "Carla",
          message: "Where is my order?",
          seq: 1,
        },
      },
    ]);
  });

  it("does not raise a new chat request for later customer messages", () => {
    const pushes = pushesFor(posted({ seq: 3 }), views({ lastSeq: 3 }));
    expect(eventPushes(pushes).map((p) => p.event)).toEqual(["newMessage"]);
  });

  it("sends an agent's message to the conversation without a chat request, even as seq 1", () => {
    const pushes = pushesFor(
      posted({ seq: 1, senderId: "agent-7", senderRole: "agent", isFromSupport: true }),
      views({ supportAgentId: "agent-7", status: "open" }),
    );
    const [newMessage, ...rest] = eventPushes(pushes);
    expect(rest).toEqual([]);
    expect(newMessage).toMatchObject({
      rooms: conversation,
      event: "newMessage",
      payload: { senderId: "agent-7", isFromSupport: true, isRead: false },
    });
  });

  it("tells the customer an agent joined and gives the agent the room as support sees it", () => {
    // given the room after the assignment
    const v = views({ supportAgentId: "agent-7", supportAgentName: "Ana", status: "open" });
    // when
    const pushes = pushesFor(
      recorded({
        type: "AgentAssigned",
        data: {
          roomId,
          agentId: "agent-7",
          agentName: "Ana",
          reason: "routed",
          previousAgentId: null,
        },
      }),
      v,
    );
    // then
    expect(eventPushes(pushes)).toEqual([
      {
        rooms: conversation,
        event: "supportJoined",
        payload: { roomId, agentId: "agent-7", agentName: "Ana", message: "Ana joined the chat" },
      },
      { rooms: [socketRooms.user("agent-7")], event: "roomAssigned", payload: { room: v.support } },
    ]);
  });

  it("takes a transferred room away from the previous agent", () => {
    const v = views({ supportAgentId: "agent-8", supportAgentName: "Ben", status: "open" });
    const pushes = pushesFor(
      recorded({
        type: "AgentAssigned",
        data: {
          roomId,
          agentId: "agent-8",
          agentName: "Ben",
          reason: "transferred",
          previousAgentId: "agent-7",
        },
      }),
      v,
    );
    expect(eventPushes(pushes)).toContainEqual({
      rooms: [socketRooms.user("agent-7")],
      event: "roomUnassigned",
      payload: { roomId, reason: "transferred" },
    });
    expect(eventPushes(pushes).map((p) => p.event)).toEqual([
      "supportJoined",
      "roomAssigned",
      "roomUnassigned",
    ]);
  });

  it("takes a requeued room away from its agent with the reason", () => {
    const pushes = pushesFor(
      recorded({
        type: "RoomRequeued",
        data: { roomId, previousAgentId: "agent-7", reason: "agent_offline" },
      }),
      views({ status: "waiting" }),
    );
    expect(eventPushes(pushes)).toEqual([
      {
        rooms: [socketRooms.user("agent-7")],
        event: "roomUnassigned",
        payload: { roomId, reason: "agent_offline" },
      },
    ]);
  });

  it("takes a closed room away from the agent who had it", () => {
    const pushes = pushesFor(
      recorded({
        type: "RoomClosed",
        data: { roomId, closedBy: customerId, closedByRole: "customer" },
      }),
      views({ status: "closed", supportAgentId: "agent-7", closedAt: occurredAt }),
    );
    expect(eventPushes(pushes)).toEqual([
      {
        rooms: [socketRooms.user("agent-7")],
        event: "roomUnassigned",
        payload: { roomId, reason: "closed" },
      },
    ]);
  });

  it("closes a room nobody was assigned to with room updates only", () => {
    const pushes = pushesFor(
      recorded({
        type: "RoomClosed",
        data: { roomId, closedBy: customerId, closedByRole: "customer" },
      }),
      views({ status: "closed", closedAt: occurredAt }),
    );
    expect(pushes.map((p) => p.event)).toEqual(["roomUpdated", "roomUpdated"]);
  });

  it("tells the conversation who read up to where", () => {
    const pushes = pushesFor(
      recorded({
        type: "MessagesRead",
        data: { roomId, readerId: "agent-7", side: "support", upToSeq: 4 },
      }),
      views({ supportAgentId: "agent-7", status: "open" }),
    );
    expect(eventPushes(pushes)).toEqual([
      {
        rooms: conversation,
        event: "messagesRead",
        payload: { roomId, side: "support", readerId: "agent-7", upToSeq: 4 },
      },
    ]);
  });

  it("announces a newly opened room with room updates only", () => {
    const pushes = pushesFor(
      recorded({ type: "RoomOpened", data: { roomId, customerId, customerName: "Carla" } }),
      views(),
    );
    expect(eventPushes(pushes)).toEqual([]);
  });
});

describe("room updates after every event", () => {
  const events: RecordedRoomEvent[] = [
    recorded({ type: "RoomOpened", data: { roomId, customerId, customerName: "Carla" } }),
    posted({ seq: 2 }),
    recorded({
      type: "MessagesRead",
      data: { roomId, readerId: customerId, side: "customer", upToSeq: 2 },
    }),
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
      type: "RoomRequeued",
      data: { roomId, previousAgentId: "agent-7", reason: "manual" },
    }),
    recorded({ type: "RoomClosed", data: { roomId, closedBy: "agent-7", closedByRole: "agent" } }),
  ];

  it.each(events.map((e) => [e.type, e] as const))(
    "%s ends with the support view to agents and the customer view to the customer",
    (_type, event) => {
      // given each side's view, with different unread counts
      const v = views({ unreadCount: 3, supportAgentId: "agent-7" }, { unreadCount: 1 });
      // when
      const pushes = pushesFor(event, v);
      // then the last two pushes are the room as each side sees it
      expect(pushes.slice(-2)).toEqual([
        { rooms: [socketRooms.agents], event: "roomUpdated", payload: { room: v.support } },
        {
          rooms: [socketRooms.user(customerId)],
          event: "roomUpdated",
          payload: { room: v.customer },
        },
      ]);
      expect(pushes.filter((p) => p.event === "roomUpdated")).toHaveLength(2);
    },
  );

  it.each(events.map((e) => [e.type, e] as const))(
    "%s produces only payloads the socket contract accepts",
    (_type, event) => {
      const pushes = pushesFor(event, views({ supportAgentId: "agent-7" }));
      for (const p of pushes) {
        expect(serverEvents[p.event].safeParse(p.payload).success).toBe(true);
      }
    },
  );
});
