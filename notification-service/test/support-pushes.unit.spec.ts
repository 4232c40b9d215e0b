import {
  serverEvents,
  socketRooms,
  type ChatRoom,
  type RecordedRoomEvent,
  type RoomEventBody,
  type RoomViews,
} from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import { pushesFor } from "../src/domain/pushes.js";

const roomId = "0b6f2a8e-3c1d-4e5f-9a7b-1c2d3e4f5a6b";
const customerId = "cust-1";
const occurredAt = "2025-03-01T10:00:00.000Z";

const room = (overrides: Partial<ChatRoom> = {}): ChatRoom => ({
  id: roomId,
  userId: customerId,
  supportAgentId: "agent-1",
  status: "open",
  lastMessage: "hello",
  unreadCount: 0,
  createdAt: occurredAt,
  updatedAt: occurredAt,
  userName: "Carla",
  supportAgentName: "Ada",
  lastSeq: 3,
  lastMessageAt: occurredAt,
  closedAt: null,
  ...overrides,
});

const views: RoomViews = { support: room({ labels: ["refund"] }), customer: room() };

const recorded = (body: RoomEventBody): RecordedRoomEvent => ({
  ...body,
  metadata: {
    eventId: "5d1e7a44-6c2b-4f0e-8d3a-9b8c7d6e5f40",
    streamId: `room-${roomId}`,
    streamPosition: 5,
    globalPosition: 17,
    actor: { id: "agent-1", name: "Ada", role: "agent" },
    correlationId: "req-1",
    causationId: null,
    occurredAt,
  },
});

const noteAdded = recorded({
  type: "NoteAdded",
  data: {
    roomId,
    noteId: "2c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f",
    clientNoteId: "n-1",
    authorId: "agent-1",
    authorName: "Ada",
    authorRole: "agent",
    text: "refund approved by finance",
    afterSeq: 3,
  },
});

/** Every socket room a push goes to, and so every socket that could see it. */
const audience = (pushes: ReturnType<typeof pushesFor>) => pushes.flatMap((p) => p.rooms);

describe("pushes of support staff's events", () => {
  it("send a note to the agents room alone, as a valid noteAdded push", () => {
    const pushes = pushesFor(noteAdded, views);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({ rooms: [socketRooms.agents], event: "noteAdded" });
    expect(serverEvents.noteAdded.parse(pushes[0]!.payload)).toMatchObject({
      id: "2c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f",
      text: "refund approved by finance",
      afterSeq: 3,
      createdAt: occurredAt,
    });
  });

  it("never address the customer, their tabs or the conversation's socket room", () => {
    for (const type of ["LabelAdded", "LabelRemoved"] as const) {
      const event = recorded({ type, data: { roomId, label: "refund" } });
      const rooms = audience(pushesFor(event, views));
      expect(rooms, type).toEqual([socketRooms.agents]);
    }
    const rooms = audience(pushesFor(noteAdded, views));
    expect(rooms).not.toContain(socketRooms.user(customerId));
    expect(rooms).not.toContain(socketRooms.room(roomId));
  });

  it("send a label change as the support view with its labels", () => {
    const event = recorded({ type: "LabelAdded", data: { roomId, label: "refund" } });
    const [update] = pushesFor(event, views);
    expect(update).toMatchObject({
      event: "roomUpdated",
      payload: { room: { labels: ["refund"] } },
    });
  });
});
