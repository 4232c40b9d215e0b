import { z } from "zod";
import { AttachmentDescriptor } from "./attachments.js";
import { RoomLabel } from "./labels.js";
import { RoomRating } from "./feedback.js";
import {
  ClientMessageId,
  DisplayName,
  IsoDateTime,
  Role,
  RoomStatus,
  Seq,
  UserId,
  Uuid,
} from "./primitives.js";

/**
 * ChatRoom as the seed defines it, plus additive fields. `unreadCount` is always from the
 * caller's side: for a customer the support messages they have not read, for agents the
 * customer's messages no agent has read.
 */
export const ChatRoom = z.object({
  id: Uuid,
  userId: UserId,
  supportAgentId: UserId.nullable(),
  status: RoomStatus,
  lastMessage: z.string().nullable(),
  unreadCount: z.number().int().nonnegative(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  // additive
  userName: DisplayName,
  supportAgentName: DisplayName.nullable(),
  lastSeq: Seq,
  lastMessageAt: IsoDateTime.nullable(),
  closedAt: IsoDateTime.nullable(),
  /** Support staff's labels; only in support staff's views of a room, never a customer's. */
  labels: z.array(RoomLabel).optional(),
  /** The customer's rating once they gave one (see feedback.ts); both sides see it. */
  rating: RoomRating.nullable().optional(),
});
export type ChatRoom = z.infer<typeof ChatRoom>;

/**
 * ChatMessage as the seed defines it, plus additive fields. `isRead` says whether the other
 * side has read it (for a customer's message: an agent read it; for an agent's: the customer).
 */
export const ChatMessage = z.object({
  id: Uuid,
  chatRoomId: Uuid,
  senderId: UserId,
  message: z.string(),
  isRead: z.boolean(),
  isFromSupport: z.boolean(),
  createdAt: IsoDateTime,
  // additive
  seq: Seq.min(1),
  clientMessageId: ClientMessageId,
  senderName: DisplayName,
  senderRole: Role,
  attachments: z.array(AttachmentDescriptor).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;
