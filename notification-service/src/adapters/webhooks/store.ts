import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, type InferSelectModel } from "drizzle-orm";
import type {
  DeliveryAttempt,
  DeliveryStatus,
  WebhookDelivery,
  WebhookEventType,
  WebhookSubscription,
} from "@support-chat/contracts";
import type { NextStep } from "../../domain/webhooks/retry.js";
import type { WebhookDatabase } from "./database.js";
import { webhookDeliveries, webhookSubscriptions } from "./schema.js";

/** Attempts kept per delivery for the deliveries view; older ones are dropped. */
export const RECENT_ATTEMPTS = 10;

type SubscriptionRow = InferSelectModel<typeof webhookSubscriptions>;
type DeliveryRow = InferSelectModel<typeof webhookDeliveries>;

export const subscriptionView = (row: SubscriptionRow): WebhookSubscription => ({
  id: row.id,
  url: row.url,
  eventTypes: row.eventTypes as WebhookEventType[],
  secret: row.secret,
  active: row.active,
  createdBy: { id: row.createdById, name: row.createdByName },
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const deliveryView = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  subscriptionId: row.subscriptionId,
  eventId: row.eventId,
  eventType: row.eventType,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === "pending" ? (row.nextAttemptAt?.toISOString() ?? null) : null,
  createdAt: row.createdAt.toISOString(),
  deliveredAt: row.deliveredAt?.toISOString() ?? null,
  recentAttempts: row.recentAttempts,
});

/** A delivery a replica has claimed: what to send, where, and with which key. */
export type ClaimedDelivery = {
  id: string;
  subscriptionId: string;
  eventId: string;
  body: string;
  /** Attempts counted so far, the claimed one included. */
  attempts: number;
  createdAt: Date;
  recentAttempts: DeliveryAttempt[];
  url: string;
  secret: string;
};

export type NewSubscription = {
  url: string;
  eventTypes: WebhookEventType[];
  secret: string;
  active: boolean;
  createdBy: { id: string; name: string };
  now: Date;
};

export type SubscriptionChanges = Partial<{
  url: string;
  eventTypes: WebhookEventType[];
  active: boolean;
  secret: string;
}>;

/**
 * Queries drizzle cannot say are written with the driver directly. Times travel as ISO text:
 * drizzle takes over the driver's date conversions (timestamps come back as text too).
 */
export const webhookStore = ({ db, sql }: WebhookDatabase) => ({
  countSubscriptions: async (): Promise<number> => {
    const [row] = await db.select({ n: count() }).from(webhookSubscriptions);
    return row?.n ?? 0;
  },

  listSubscriptions: async (): Promise<WebhookSubscription[]> =>
    (await db.select().from(webhookSubscriptions).orderBy(asc(webhookSubscriptions.createdAt))).map(
      subscriptionView,
    ),

  getSubscription: async (id: string): Promise<WebhookSubscription | undefined> => {
    const [row] = await db
      .select()
      .from(webhookSubscriptions)
      .where(eq(webhookSubscriptions.id, id));
    return row && subscriptionView(row);
  },

  insertSubscription: async (s: NewSubscription): Promise<WebhookSubscription> => {
    const [row] = await db
      .insert(webhookSubscriptions)
      .values({
        id: randomUUID(),
        url: s.url,
        eventTypes: s.eventTypes,
        secret: s.secret,
        active: s.active,
        createdById: s.createdBy.id,
        createdByName: s.createdBy.name,
        createdAt: s.now,
        updatedAt: s.now,
      })
      .returning();
    return subscriptionView(row!);
  },

  updateSubscription: async (
    id: string,
    changes: SubscriptionChanges,
    now: Date,
  ): Promise<WebhookSubscription | undefined> => {
    const [row] = await db
      .update(webhookSubscriptions)
      .set({ ...changes, updatedAt: now })
      .where(eq(webhookSubscriptions.id, id))
      .returning();
    return row && subscriptionView(row);
  },

  /** Deletes the subscription and, with it, its deliveries (pending ones are never sent). */
  deleteSubscription: async (id: string): Promise<boolean> =>
    (
      await db
        .delete(webhookSubscriptions)
        .where(eq(webhookSubscriptions.id, id))
        .returning({ id: webhookSubscriptions.id })
    ).length > 0,

  /**
   * Queues one delivery per active subscription that wants this event type; a delivery that
   * exists already (the event came again after a crash) is left as it is. Returns how many
   * were queued now.
   */
  queueEvent: async (event: {
    eventId: string;
    type: string;
    body: string;
    now: Date;
  }): Promise<number> => {
    const rows = await sql`
      insert into webhook_deliveries
        (id, subscription_id, event_id, event_type, body, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), s.id, ${event.eventId}, ${event.type}, ${event.body},
             'pending', 0, ${event.now.toISOString()}::timestamptz,
             ${event.now.toISOString()}::timestamptz
      from webhook_subscriptions s
      where s.active and ${event.type} = any(s.event_types)
      on conflict (subscription_id, event_id) do nothing
      returning id`;
    return rows.length;
  },

  /** Queues a delivery to one subscription, whatever event types it chose ("send test event"). */
  queueOne: async (d: {
    subscriptionId: string;
    eventId: string;
    type: string;
    body: string;
    now: Date;
  }): Promise<WebhookDelivery> => {
    const [row] = await db
      .insert(webhookDeliveries)
      .values({
        id: randomUUID(),
        subscriptionId: d.subscriptionId,
        eventId: d.eventId,
        eventType: d.type,
        body: d.body,
        status: "pending",
        attempts: 0,
        nextAttemptAt: d.now,
        createdAt: d.now,
      })
      .returning();
    return deliveryView(row!);
  },

  /**
   * Takes due deliveries of active subscriptions for this replica to send: at most `limit` in
   * all and, per endpoint, no more than `perEndpoint` minus what this replica already has in
   * flight to it. Rows other replicas are claiming are skipped, not waited for. Claiming counts
   * the attempt and moves `next_attempt_at` to `leaseUntil`, so nobody else takes the row
   * while it is being sent, and it comes due again if this replica dies mid-attempt.
   */
  claimDue: async (opts: {
    limit: number;
    perEndpoint: number;
    inFlight: ReadonlyMap<string, number>;
    now: Date;
    leaseUntil: Date;
  }): Promise<ClaimedDelivery[]> => {
    const busyIds = [...opts.inFlight.keys()];
    const busyCounts = busyIds.map((id) => opts.inFlight.get(id) ?? 0);
    const rows = await sql<
      {
        id: string;
        subscription_id: string;
        event_id: string;
        body: string;
        attempts: number;
        created_at: string;
        recent_attempts: DeliveryAttempt[];
        url: string;
        secret: string;
      }[]
    >`
      with busy as (
        select * from unnest(${busyIds}::uuid[], ${busyCounts}::int[]) as b(subscription_id, in_flight)
      ),
      due as (
        select d.id
        from webhook_subscriptions s
        left join busy b on b.subscription_id = s.id
        cross join lateral (
          select d.id from webhook_deliveries d
          where d.subscription_id = s.id and d.status = 'pending'
            and d.next_attempt_at <= ${opts.now.toISOString()}::timestamptz
          order by d.next_attempt_at
          limit greatest(${opts.perEndpoint}::int - coalesce(b.in_flight, 0), 0)
          for update of d skip locked
        ) d
        where s.active
        limit ${opts.limit}
      )
      update webhook_deliveries d
      set attempts = d.attempts + 1,
          next_attempt_at = ${opts.leaseUntil.toISOString()}::timestamptz
      from due, webhook_subscriptions s
      where d.id = due.id and s.id = d.subscription_id
      returning d.id, d.subscription_id, d.event_id, d.body, d.attempts, d.created_at,
                d.recent_attempts, s.url, s.secret`;
    return rows.map((r) => ({
      id: r.id,
      subscriptionId: r.subscription_id,
      eventId: r.event_id,
      body: r.body,
      attempts: r.attempts,
      createdAt: new Date(r.created_at),
      recentAttempts: r.recent_attempts,
      url: r.url,
      secret: r.secret,
    }));
  },

  /**
   * Records how an attempt went and what comes next. Only if the row is still the one this
   * replica claimed (same attempt count, still pending): false when it was not.
   */
  recordAttempt: async (
    claimed: ClaimedDelivery,
    attempt: DeliveryAttempt,
    step: NextStep,
    now: Date,
  ): Promise<boolean> => {
    const recent = [...claimed.recentAttempts, attempt].slice(-RECENT_ATTEMPTS);
    const updated = await db
      .update(webhookDeliveries)
      .set({
        status: step.status,
        nextAttemptAt: step.status === "pending" ? step.nextAttemptAt : null,
        deliveredAt: step.status === "delivered" ? now : null,
        recentAttempts: recent,
      })
      .where(
        and(
          eq(webhookDeliveries.id, claimed.id),
          eq(webhookDeliveries.attempts, claimed.attempts),
          eq(webhookDeliveries.status, "pending"),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    return updated.length > 0;
  },

  listDeliveries: async (
    subscriptionId: string,
    opts: { status?: DeliveryStatus; limit: number },
  ): Promise<WebhookDelivery[]> => {
    const rows = await db
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.subscriptionId, subscriptionId),
          opts.status ? eq(webhookDeliveries.status, opts.status) : undefined,
        ),
      )
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(opts.limit);
    return rows.map(deliveryView);
  },

  /**
   * Deletes settled (delivered or failed) deliveries created before `before`, at most `limit`
   * at a time so one statement never holds many locks; returns how many went.
   */
  pruneSettled: async (before: Date, limit: number): Promise<number> => {
    const rows = await sql`
      delete from webhook_deliveries
      where id in (
        select id from webhook_deliveries
        where status <> 'pending' and created_at < ${before.toISOString()}::timestamptz
        limit ${limit}
      )
      returning id`;
    return rows.length;
  },

  pendingCount: async (): Promise<number> => {
    const [row] = await db
      .select({ n: count() })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.status, "pending"));
    return row?.n ?? 0;
  },
});

export type WebhookStore = ReturnType<typeof webhookStore>;
