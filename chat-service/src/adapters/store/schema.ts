import type { AttachmentDescriptor } from "@support-chat/contracts";
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** A 64-bit transaction id; read as text so no precision is lost on the way to JavaScript. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8" });

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** The append-only log (see drizzle/0000_event_log.sql for the triggers that enforce it). */
export const events = pgTable(
  "events",
  {
    globalPosition: bigserial("global_position", { mode: "number" }).primaryKey(),
    streamId: text("stream_id").notNull(),
    streamPosition: integer("stream_position").notNull(),
    eventId: uuid("event_id").notNull().unique("events_event_id_unique"),
    type: text("type").notNull(),
    data: jsonb("data").notNull(),
    metadata: jsonb("metadata").notNull(),
    occurredAt: at("occurred_at").notNull(),
    transactionId: xid8("transaction_id")
      .notNull()
      .default(sql`pg_current_xact_id()`),
  },
  (t) => [
    unique("events_stream_position_unique").on(t.streamId, t.streamPosition),
    index("events_relay_order_idx").on(t.transactionId, t.globalPosition),
  ],
);

export const chatRooms = pgTable(
  "chat_rooms",
  {
    id: uuid("id").primaryKey(),
    userId: text("user_id").notNull(),
    userName: text("user_name").notNull(),
    supportAgentId: text("support_agent_id"),
    supportAgentName: text("support_agent_name"),
    status: text("status", { enum: ["waiting", "open", "closed"] }).notNull(),
    lastMessage: text("last_message"),
    lastSeq: integer("last_seq").notNull().default(0),
    lastMessageAt: at("last_message_at"),
    closedAt: at("closed_at"),
    /** Support staff's labels (drizzle/0001_notes_labels_search.sql). */
    labels: text("labels")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The customer's rating (drizzle/0004_ratings_transcripts.sql). */
    rating: smallint("rating"),
    ratingComment: text("rating_comment"),
    ratedAt: at("rated_at"),
    /** The address the customer gave for transcripts; for services only, never in a view. */
    contactEmail: text("contact_email"),
    unreadForCustomer: integer("unread_for_customer").notNull().default(0),
    unreadForSupport: integer("unread_for_support").notNull().default(0),
    readSeqCustomer: integer("read_seq_customer").notNull().default(0),
    readSeqSupport: integer("read_seq_support").notNull().default(0),
    assignedAt: at("assigned_at"),
    createdAt: at("created_at").notNull(),
    updatedAt: at("updated_at").notNull(),
    version: integer("version").notNull(),
  },
  (t) => [
    index("chat_rooms_user_id_idx").on(t.userId),
    index("chat_rooms_support_agent_id_idx").on(t.supportAgentId),
    index("chat_rooms_status_idx").on(t.status),
    uniqueIndex("chat_rooms_one_open_per_user")
      .on(t.userId)
      .where(sql`${t.status} <> 'closed'`),
  ],
);
export type ChatRoomRow = typeof chatRooms.$inferSelect;

export const chatMessages = pgTable(
  "chat_messages",
  {
    id: uuid("id").primaryKey(),
    chatRoomId: uuid("chat_room_id").notNull(),
    seq: integer("seq").notNull(),
    senderId: text("sender_id").notNull(),
    senderName: text("sender_name").notNull(),
    senderRole: text("sender_role", { enum: ["customer", "agent", "manager", "admin"] }).notNull(),
    message: text("message").notNull(),
    isFromSupport: boolean("is_from_support").notNull(),
    isRead: boolean("is_read").notNull().default(false),
    clientMessageId: text("client_message_id").notNull(),
    createdAt: at("created_at").notNull(),
    attachments: jsonb("attachments").$type<AttachmentDescriptor[]>().notNull().default([]),
  },
  (t) => [
    unique("chat_messages_room_seq_unique").on(t.chatRoomId, t.seq),
    unique("chat_messages_room_sender_client_id_unique").on(
      t.chatRoomId,
      t.senderId,
      t.clientMessageId,
    ),
    index("chat_messages_chat_room_id_idx").on(t.chatRoomId),
    index("chat_messages_sender_id_idx").on(t.senderId),
  ],
);
export type ChatMessageRow = typeof chatMessages.$inferSelect;

export const relayCheckpoint = pgTable("relay_checkpoint", {
  name: text("name").primaryKey(),
  lastTransactionId: xid8("last_transaction_id").notNull().default("0"),
  lastPosition: bigint("last_position", { mode: "number" }).notNull().default(0),
});

export const schema = { events, chatRooms, chatMessages, relayCheckpoint };
export type Schema = typeof schema;
