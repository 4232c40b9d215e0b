import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** What became of one message from the stream. */
export type Outcome =
  | "pushed" // pushes sent, acknowledged
  | "invalid" // not a room event; terminated so it is never redelivered
  | "retried" // the room could not be read or the pushes not sent; redelivered later
  | "held" // an earlier event of the same room is being retried; redelivered after it
  | "released"; // the service is stopping; handed back for another replica

/** What became of one message from the assignment service. */
export type AssignmentOutcome =
  | "pushed" // the pushes it called for reached Redis (possibly none: nothing changed)
  | "superseded" // a newer queue snapshot came before it was handled; only the newer one counts
  | "invalid" // not what the contract says; dropped
  | "failed"; // Redis did not take the pushes; the next snapshot repairs it

export type ConsumerPending = { numPending: number; numAckPending: number };

export type NotificationMetrics = {
  consumed: (type: string, outcome: Outcome) => void;
  pushLag: (seconds: number) => void;
  assignmentUpdate: (kind: "queue" | "agent", outcome: AssignmentOutcome) => void;
  queuePushes: (count: number) => void;
};

export const notificationMetrics = (
  registry: Registry,
  pending: () => Promise<ConsumerPending>,
): NotificationMetrics => {
  const events = new Counter({
    name: "notification_events_total",
    help: "Events taken from the stream, by event type and outcome",
    labelNames: ["type", "outcome"] as const,
    registers: [registry],
  });
  const lag = new Histogram({
    name: "notification_push_lag_seconds",
    help: "Time from an event being recorded to its pushes reaching Redis",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const assignmentUpdates = new Counter({
    name: "notification_assignment_updates_total",
    help: "Queue snapshots and agent updates from the assignment service, by kind and outcome",
    labelNames: ["kind", "outcome"] as const,
    registers: [registry],
  });
  const queuePushes = new Counter({
    name: "notification_queue_pushes_total",
    help: "queueUpdated pushes sent to waiting customers",
    registers: [registry],
  });
  // Sampled when scraped: both gauges share one consumer-info request per scrape, and keep the
  // last value when NATS does not answer.
  let last: ConsumerPending | undefined;
  let sampling: Promise<void> | undefined;
  const sample = () =>
    (sampling ??= pending()
      .then((value) => {
        last = value;
      })
      .catch(() => undefined)
      .finally(() => {
        sampling = undefined;
      }));
  new Gauge({
    name: "notification_consumer_pending",
    help: "Events in the stream not yet delivered to the notification consumer",
    registers: [registry],
    async collect() {
      await sample();
      if (last) this.set(last.numPending);
    },
  });
  new Gauge({
    name: "notification_consumer_ack_pending",
    help: "Events delivered to the notification consumer and not yet acknowledged",
    registers: [registry],
    async collect() {
      await sample();
      if (last) this.set(last.numAckPending);
    },
  });
  return {
    consumed: (type, outcome) => events.inc({ type, outcome }),
    pushLag: (seconds) => lag.observe(Math.max(0, seconds)),
    assignmentUpdate: (kind, outcome) => assignmentUpdates.inc({ kind, outcome }),
    queuePushes: (count) => queuePushes.inc(count),
  };
};
