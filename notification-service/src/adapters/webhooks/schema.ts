import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import type { DeliveryAttempt } from "@support-chat/contracts";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Endpoints managers registered, and the event types each wants. */
export const webhookSubscriptions = pgTable("webhook_subscriptions", {
  id: uuid("id").primaryKey(),
  url: text("url").notNull(),
  eventTypes: text("event_types").array().notNull(),
  secret: text("secret").notNull(),
  active: boolean("active").notNull(),
  createdById: text("created_by_id").notNull(),
  createdByName: text("created_by_name").notNull(),
  createdAt: at("created_at").notNull(),
  updatedAt: at("updated_at").notNull(),
});

/**
 * One row per (subscription, event): written before the event is acknowledged on the stream,
 * unique so a redelivered event never queues a second one. The body is stored as sent, so
 * every attempt carries the same bytes. `next_attempt_at` doubles as the lease of a replica
 * sending it: claiming moves it past the attempt's timeout, so a replica that dies mid-attempt
 * leaves the row due again soon after.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey(),
    subscriptionId: uuid("subscription_id")
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").notNull(),
    eventType: text("event_type").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at"),
    createdAt: at("created_at").notNull(),
    deliveredAt: at("delivered_at"),
    /** The latest attempts, newest last, at most RECENT_ATTEMPTS of them. */
    recentAttempts: jsonb("recent_attempts").$type<DeliveryAttempt[]>().notNull().default([]),
  },
  (t) => [
    unique("webhook_deliveries_subscription_event").on(t.subscriptionId, t.eventId),
    index("webhook_deliveries_due")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_recent").on(t.subscriptionId, t.createdAt.desc()),
    check("webhook_deliveries_status", sql`${t.status} in ('pending', 'delivered', 'failed')`),
  ],
);

export const schema = { webhookSubscriptions, webhookDeliveries };
export type Schema = typeof schema;
