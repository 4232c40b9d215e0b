import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export type ChatMetrics = ReturnType<typeof createChatMetrics>;

export const createChatMetrics = (registry: Registry) => ({
  eventsAppended: new Counter({
    name: "chat_events_appended_total",
    help: "Domain events appended to the event log",
    labelNames: ["type"] as const,
    registers: [registry],
  }),
  appendSeconds: new Histogram({
    name: "chat_append_duration_seconds",
    help: "Time to append a decision to the log with its projections (one transaction)",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  }),
  appendConflicts: new Counter({
    name: "chat_append_conflicts_total",
    help: "Appends that lost a race for the next stream position and were decided again",
    registers: [registry],
  }),
  eventsPublished: new Counter({
    name: "chat_events_published_total",
    help: "Events the relay published to JetStream (duplicates included)",
    registers: [registry],
  }),
  commandSeconds: new Histogram({
    name: "chat_command_duration_seconds",
    help: "Time from a command's arrival to its reply, by command and outcome (ok or error code)",
    labelNames: ["command", "outcome"] as const,
    buckets: [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  }),
  messagesShed: new Counter({
    name: "chat_messages_shed_total",
    help: "Messages refused with UNAVAILABLE because too many were waiting to be stored",
    registers: [registry],
  }),
  firstResponseSeconds: new Histogram({
    name: "chat_first_response_seconds",
    help: "Time from a room's opening to the first message support posted in it",
    buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
    registers: [registry],
  }),
  publishLag: new Gauge({
    name: "chat_relay_publish_lag_events",
    help: "Head of the event log minus the relay checkpoint position",
    registers: [registry],
  }),
});
