import {
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Projection: each room's report facts (drizzle/0005_reports.sql, domain/report-facts.ts). */
export const reportRooms = pgTable(
  "report_rooms",
  {
    roomId: uuid("room_id").primaryKey(),
    customerId: text("customer_id").notNull(),
    openedAt: at("opened_at").notNull(),
    firstAssignedAt: at("first_assigned_at"),
    firstResponseAt: at("first_response_at"),
    firstResponderId: text("first_responder_id"),
    firstResponderName: text("first_responder_name"),
    closedAt: at("closed_at"),
    lastAgentId: text("last_agent_id"),
    rating: smallint("rating"),
    ratedAt: at("rated_at"),
  },
  (t) => [index("report_rooms_opened_at_idx").on(t.openedAt)],
);
export type ReportRoomRow = typeof reportRooms.$inferSelect;

/** Projection: the n-th stretch of time an agent held a room. */
export const reportAssignments = pgTable(
  "report_assignments",
  {
    roomId: uuid("room_id").notNull(),
    n: integer("n").notNull(),
    agentId: text("agent_id").notNull(),
    agentName: text("agent_name").notNull(),
    startedAt: at("started_at").notNull(),
    endedAt: at("ended_at"),
  },
  (t) => [
    primaryKey({ name: "report_assignments_pk", columns: [t.roomId, t.n] }),
    index("report_assignments_started_at_idx").on(t.startedAt),
  ],
);
export type ReportAssignmentRow = typeof reportAssignments.$inferSelect;
