import type { ChatMessage, ChatRoom, RoomRating, Side } from "@support-chat/contracts";
import type { ChatMessageRow, ChatRoomRow } from "./schema.js";

const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The customer's rating; both sides see it (the customer sees what they gave). */
const ratingOf = (row: ChatRoomRow): RoomRating | null =>
  row.rating === null || row.ratedAt === null
    ? null
    : { score: row.rating, comment: row.ratingComment, ratedAt: iso(row.ratedAt) };

/** A room as one side sees it: the unread count is the other side's messages it has not read. */
export const roomView = (row: ChatRoomRow, side: Side): ChatRoom => ({
  id: row.id,
  userId: row.userId,
  supportAgentId: row.supportAgentId,
  status: row.status,
  lastMessage: row.lastMessage,
  unreadCount: side === "customer" ? row.unreadForCustomer : row.unreadForSupport,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
  userName: row.userName,
  supportAgentName: row.supportAgentName,
  lastSeq: row.lastSeq,
  lastMessageAt: isoOrNull(row.lastMessageAt),
  closedAt: isoOrNull(row.closedAt),
  // Labels are support staff's own: a customer's view never carries them.
  ...(side === "support" ? { labels: row.labels } : {}),
  // Absent until the customer rates the room, so unrated rooms keep the seed's shape.
  ...(row.rating === null ? {} : { rating: ratingOf(row) }),
});

/** `isRead` is stored as "the other side has read it", which is what both sides want to see. */
export const messageView = (row: ChatMessageRow): ChatMessage => ({
  id: row.id,
  chatRoomId: row.chatRoomId,
  senderId: row.senderId,
  message: row.message,
  isRead: row.isRead,
  isFromSupport: row.isFromSupport,
  createdAt: iso(row.createdAt),
  seq: row.seq,
  clientMessageId: row.clientMessageId,
  senderName: row.senderName,
  senderRole: row.senderRole,
  attachments: row.attachments,
});
