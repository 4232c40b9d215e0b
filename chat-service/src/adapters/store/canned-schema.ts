import { sql } from "drizzle-orm";
import { integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Projection: canned responses, deleted ones kept as tombstones (drizzle/0003_canned_responses.sql). */
export const cannedResponses = pgTable(
  "canned_responses",
  {
    id: uuid("id").primaryKey(),
    title: text("title").notNull(),
    shortcut: text("shortcut").notNull(),
    text: text("text").notNull(),
    version: integer("version").notNull(),
    createdAt: at("created_at").notNull(),
    createdById: text("created_by_id").notNull(),
    updatedAt: at("updated_at").notNull(),
    updatedById: text("updated_by_id").notNull(),
    updatedByName: text("updated_by_name").notNull(),
    deletedAt: at("deleted_at"),
  },
  (t) => [
    uniqueIndex("canned_responses_live_shortcut_unique")
      .on(t.shortcut)
      .where(sql`${t.deletedAt} is null`),
  ],
);
export type CannedResponseRow = typeof cannedResponses.$inferSelect;

/** The unique index that lets exactly one of two racing writers have a shortcut. */
export const LIVE_SHORTCUT_UNIQUE = "canned_responses_live_shortcut_unique";
