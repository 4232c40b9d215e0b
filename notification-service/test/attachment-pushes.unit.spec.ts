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
const occurredAt = "2025-03-01T10:00:00.000Z";
const photo = {
  id: "a0000000-0000-4000-8000-000000000001",
  name: "broken vase.png",
  contentType: "image/png",
  size: 48213,
};

const room = (): ChatRoom => ({
  id: roomId,
  userId: "cust-1",
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
});
const views: RoomViews = { support: room(), customer: room() };

const recorded = (body: RoomEventBody): RecordedRoomEvent => ({
  ...body,
  metadata: {
    eventId: "5d1e7a44-6c2b-4f0e-8d3a-9b8c7d6e5f40",
    streamId: `room-${roomId}`,
    streamPosition: 3,
    globalPosition: 17,
    actor: { id: "cust-1", name: "Carla", role: "customer" },
    correlationId: "req-1",
    causationId: null,
    occurredAt,
  },
});

describe("pushes of messages with attachments", () => {
  it("newMessage carries the descriptors; a first message without text names the files", () => {
    const pushes = pushesFor(
      recorded({
        type: "MessagePosted",
        data: {
          roomId,
          messageId: "9f8e7d6c-5b4a-4321-8fed-cba987654321",
          seq: 1,
          clientMessageId: "c-1",
          senderId: "cust-1",
          senderName: "Carla",
          senderRole: "customer",
          isFromSupport: false,
          message: "",
          attachments: [photo],
        },
      }),
      views,
    );
    const message = pushes.find((p) => p.event === "newMessage");
    expect(message?.payload).toMatchObject({ message: "", attachments: [photo] });
    expect(serverEvents.newMessage.safeParse(message?.payload).success).toBe(true);
    const request = pushes.find((p) => p.event === "newChatRequest");
    expect(request).toMatchObject({
      rooms: [socketRooms.agents],
      payload: { message: "📎 broken vase.png" },
    });
  });

  it("an upload alone pushes nothing but the room as it is", () => {
    const pushes = pushesFor(
      recorded({
        type: "AttachmentUploaded",
        data: {
          roomId,
          attachmentId: photo.id,
          name: photo.name,
          contentType: photo.contentType,
          size: photo.size,
          sha256: "ab".repeat(32),
          uploaderId: "cust-1",
          uploaderName: "Carla",
          uploaderRole: "customer",
        },
      }),
      views,
    );
    expect(pushes.map((p) => p.event)).toEqual(["roomUpdated", "roomUpdated"]);
  });
});
