import { z } from "zod";
import { AttachmentDescriptor, AttachmentUploadedData } from "./attachments.js";
import { LabelAdded, LabelRemoved } from "./labels.js";
import { NoteAdded } from "./notes.js";
import { RoomRated, TranscriptAtCloseChanged, TranscriptRequested } from "./feedback.js";
import type { CannedEventType } from "./canned.js";
import {
  Actor,
  ClientMessageId,
  DisplayName,
  IsoDateTime,
  Role,
  Seq,
  Side,
  UserId,
  Uuid,
} from "./primitives.js";

/** Why a room was assigned: an agent opened it, the router picked an agent, or it was handed over. */
export const AssignmentReason = z.enum(["claimed", "routed", "transferred"]);
export type AssignmentReason = z.infer<typeof AssignmentReason>;

/** Why a room went back to the queue. */
export const RequeueReason = z.enum(["agent_offline", "agent_released", "manual"]);
export type RequeueReason = z.infer<typeof RequeueReason>;

const event = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), data });

export const RoomOpened = event(
  "RoomOpened",
  z.object({ roomId: Uuid, customerId: UserId, customerName: DisplayName }),
);
export const MessagePosted = event(
  "MessagePosted",
  z.object({
    roomId: Uuid,
    messageId: Uuid,
    seq: Seq.min(1),
    clientMessageId: ClientMessageId,
    senderId: UserId,
    senderName: DisplayName,
    senderRole: Role,
    isFromSupport: z.boolean(),
    message: z.string(),
    /** Attachments of the room the message carries; absent when there are none. */
    attachments: z.array(AttachmentDescriptor).min(1).optional(),
  }),
);
export const MessagesRead = event(
  "MessagesRead",
  z.object({ roomId: Uuid, readerId: UserId, side: Side, upToSeq: Seq }),
);
export const AgentAssigned = event(
  "AgentAssigned",
  z.object({
    roomId: Uuid,
    agentId: UserId,
    agentName: DisplayName,
    reason: AssignmentReason,
    previousAgentId: UserId.nullable(),
  }),
);
export const RoomRequeued = event(
  "RoomRequeued",
  z.object({ roomId: Uuid, previousAgentId: UserId, reason: RequeueReason }),
);
export const AttachmentUploaded = event("AttachmentUploaded", AttachmentUploadedData);
export const RoomClosed = event(
  "RoomClosed",
  z.object({ roomId: Uuid, closedBy: UserId, closedByRole: z.union([Role, z.literal("system")]) }),
);

/** What a decider returns: the event without its store-assigned metadata. */
export const RoomEventBody = z.discriminatedUnion("type", [
  RoomOpened,
  MessagePosted,
  MessagesRead,
  AgentAssigned,
  RoomRequeued,
  RoomClosed,
  AttachmentUploaded,
  NoteAdded,
  LabelAdded,
  LabelRemoved,
  RoomRated,
  TranscriptRequested,
  TranscriptAtCloseChanged,
]);
export type RoomEventBody = z.infer<typeof RoomEventBody>;
export type RoomEventType = RoomEventBody["type"];
export type RoomEventOf<T extends RoomEventType> = Extract<RoomEventBody, { type: T }>;
export const ROOM_EVENT_TYPES = RoomEventBody.options.map(
  (o) => o.shape.type.value,
) as readonly RoomEventType[];

export const EventMetadata = z.object({
  eventId: Uuid,
  streamId: z.string().min(1),
  streamPosition: z.number().int().min(1),
  /** Position in the whole log; consumers may use it to order across streams. */
  globalPosition: z.number().int().min(1),
  actor: Actor,
  correlationId: z.string().min(1).max(128),
  causationId: z.string().min(1).max(128).nullable(),
  occurredAt: IsoDateTime,
});
export type EventMetadata = z.infer<typeof EventMetadata>;

/** An event as recorded in the log and published on JetStream. */
export const RecordedRoomEvent = z.intersection(
  RoomEventBody,
  z.object({ metadata: EventMetadata }),
);
export type RecordedRoomEvent = RoomEventBody & { metadata: EventMetadata };

export const roomStreamId = (roomId: string): string => `room-${roomId}`;

/** Every event type in the log: the rooms' and the canned responses' (see canned.ts). */
export type DomainEventType = RoomEventType | CannedEventType;
