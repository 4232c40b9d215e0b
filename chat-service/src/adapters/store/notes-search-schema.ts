import { index, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Projection: private notes (drizzle/0001_notes_labels_search.sql). Support staff only. */
export const roomNotes = pgTable(
  "room_notes",
  {
    id: uuid("id").primaryKey(),
    roomId: uuid("room_id").notNull(),
    afterSeq: integer("after_seq").notNull(),
    authorId: text("author_id").notNull(),
    authorName: text("author_name").notNull(),
    authorRole: text("author_role", { enum: ["customer", "agent", "manager", "admin"] }).notNull(),
    text: text("text").notNull(),
    clientNoteId: text("client_note_id").notNull(),
    createdAt: at("created_at").notNull(),
  },
  (t) => [
    unique("room_notes_room_author_client_id_unique").on(t.roomId, t.authorId, t.clientNoteId),
    index("room_notes_room_id_idx").on(t.roomId, t.createdAt),
  ],
);
export type RoomNoteRow = typeof roomNotes.$inferSelect;

/**
 * Projection: what support staff search. Its `document` column (a tsvector generated from
 * `body` with the 'simple' configuration, GIN-indexed) is left to the database and read only
 * in SQL, so it is not declared here.
 */
export const searchDocuments = pgTable(
  "search_documents",
  {
    id: uuid("id").primaryKey(),
    roomId: uuid("room_id").notNull(),
    kind: text("kind", { enum: ["room", "message", "note"] }).notNull(),
    seq: integer("seq"),
    body: text("body").notNull(),
    occurredAt: at("occurred_at").notNull(),
  },
  (t) => [index("search_documents_room_id_idx").on(t.roomId)],
);
