import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * What agents chose (status) and managers set (capacity). A row may exist before the agent
 * ever logs in; null means "the default" for both.
 */
export const agentSettings = pgTable(
  "assignment_agent_settings",
  {
    agentId: text("agent_id").primaryKey(),
    maxChats: integer("max_chats"),
    status: text("status", { enum: ["available", "busy", "offline"] }),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("assignment_agent_settings_max_chats", sql`${t.maxChats} is null or ${t.maxChats} >= 0`),
    check(
      "assignment_agent_settings_status",
      sql`${t.status} is null or ${t.status} in ('available', 'busy', 'offline')`,
    ),
  ],
);

/**
 * Rooms sent back to the queue, and when. The chat service's projection cannot tell a requeued
 * waiting room from one that never had an agent, and requeued rooms are served first, so a
 * restart needs this to rebuild the same queue.
 */
export const requeuedRooms = pgTable("assignment_requeued_rooms", {
  roomId: uuid("room_id").primaryKey(),
  requeuedAt: at("requeued_at").notNull(),
});

/** The latest assignment per agent, so fairness (assigned longest ago) survives a restart. */
export const agentActivity = pgTable("assignment_agent_activity", {
  agentId: text("agent_id").primaryKey(),
  lastAssignedAt: at("last_assigned_at").notNull(),
});

export const schema = { agentSettings, requeuedRooms, agentActivity };
export type Schema = typeof schema;
