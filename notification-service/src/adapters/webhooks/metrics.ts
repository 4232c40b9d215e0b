import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** What became of an event from the stream, for webhooks. */
export type IntakeOutcome =
  | "queued" // deliveries written (possibly none: nobody subscribed to its type)
  | "skipped" // not a room event type (canned responses): no webhook can want it
  | "invalid" // claims a room event type but is not one; terminated
  | "retried"; // the deliveries could not be written; redelivered later

/** How an attempt ended, and so what became of its delivery. */
export type DeliveryOutcome =
  | "delivered" // a 2xx
  | "retrying" // failed; another attempt is scheduled
  | "failed"; // failed for the last time (attempts or age used up)

export type WebhookMetrics = {
  intake: (outcome: IntakeOutcome, queued?: number) => void;
  attempt: (outcome: DeliveryOutcome, seconds: number) => void;
};

export const webhookMetrics = (
  registry: Registry,
  pendingDeliveries: () => Promise<number>,
): WebhookMetrics => {
  const events = new Counter({
    name: "notification_webhook_events_total",
    help: "Events taken from the stream by the webhook consumer, by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const queued = new Counter({
    name: "notification_webhook_deliveries_queued_total",
    help: "Webhook deliveries queued (one per matching subscription and event)",
    registers: [registry],
  });
  const attempts = new Counter({
    name: "notification_webhook_attempts_total",
    help: "Webhook delivery attempts, by what became of the delivery",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "notification_webhook_attempt_seconds",
    help: "Time from sending a webhook to the receiver's answer (or the failure)",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: "notification_webhook_pending",
    help: "Webhook deliveries waiting for a (further) attempt, across replicas",
    registers: [registry],
    async collect() {
      // Keeps the last value when Postgres does not answer the scrape.
      const n = await pendingDeliveries().catch(() => undefined);
      if (n !== undefined) this.set(n);
    },
  });
  return {
    intake: (outcome, n = 0) => {
      events.inc({ outcome });
      if (n > 0) queued.inc(n);
    },
    attempt: (outcome, seconds) => {
      attempts.inc({ outcome });
      duration.observe(seconds);
    },
  };
};
