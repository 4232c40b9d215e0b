import { bigint, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Projection: the attachments recorded in each room (drizzle/0002_attachments.sql). */
export const chatAttachments = pgTable(
  "chat_attachments",
  {
    id: uuid("id").primaryKey(),
    chatRoomId: uuid("chat_room_id").notNull(),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    uploaderId: text("uploader_id").notNull(),
    uploaderRole: text("uploader_role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("chat_attachments_chat_room_id_idx").on(t.chatRoomId)],
);
export type ChatAttachmentRow = typeof chatAttachments.$inferSelect;
