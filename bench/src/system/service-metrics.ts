import type { LatencySummary } from "../stats.js";
import type { BenchStack } from "./stack.js";
import type { RoomViewsProbe } from "./views-probe.js";

/** Sum of every series of `name` (optionally only those whose labels contain `labelHas`). */
export const metricSum = (text: string, name: string, labelHas = ""): number => {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== " " && rest[0] !== "{") continue;
    if (labelHas && !rest.includes(labelHas)) continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
};

type Series = { service: string; metric: string; labelHas?: string };

/** Histograms the services already export that time one hop each. */
const HOPS = {
  gatewayPostMessageRequest: {
    service: "gateway-service",
    metric: "gateway_nats_request_duration_seconds",
    labelHas: 'operation="postMessage"',
  },
  chatAppendTransaction: { service: "chat-service", metric: "chat_append_duration_seconds" },
  notificationPushLag: { service: "notification-service", metric: "notification_push_lag_seconds" },
} satisfies Record<string, Series>;

/** Counters whose increase over a step says what was done, retried or waited. */
const COUNTERS = {
  notificationPushed: {
    service: "notification-service",
    metric: "notification_events_total",
    labelHas: 'outcome="pushed"',
  },
  notificationRetried: {
    service: "notification-service",
    metric: "notification_events_total",
    labelHas: 'outcome="retried"',
  },
  notificationHeld: {
    service: "notification-service",
    metric: "notification_events_total",
    labelHas: 'outcome="held"',
  },
  chatAppendConflicts: { service: "chat-service", metric: "chat_append_conflicts_total" },
  chatEventsPublished: { service: "chat-service", metric: "chat_events_published_total" },
} satisfies Record<string, Series>;

type Reading = {
  hops: Record<string, { sum: number; count: number }>;
  counters: Record<string, number>;
  /** Events in the stream the notification service has not taken yet (a gauge). */
  notificationBacklog: number;
};

/** Over one step: mean milliseconds per hop (histogram sum / count), counter increases. */
export type ServiceStep = {
  hops: Record<keyof typeof HOPS, { meanMs: number | null; count: number }>;
  counters: Record<keyof typeof COUNTERS, number>;
  notificationBacklogAtEnd: number;
  /** `getRoomViews` as the notification service asks it, timed during the step. */
  roomViewsQuery: LatencySummary;
};

const read = async (stack: BenchStack): Promise<Reading> => {
  const texts = new Map<string, string>();
  for (const [name, service] of stack.services) texts.set(name, await service.metrics());
  const sum = (s: Series, suffix = "") =>
    metricSum(texts.get(s.service) ?? "", `${s.metric}${suffix}`, s.labelHas);
  return {
    hops: Object.fromEntries(
      Object.entries(HOPS).map(([hop, h]) => [
        hop,
        { sum: sum(h, "_sum"), count: sum(h, "_count") },
      ]),
    ),
    counters: Object.fromEntries(Object.entries(COUNTERS).map(([name, c]) => [name, sum(c)])),
    notificationBacklog: metricSum(
      texts.get("notification-service") ?? "",
      "notification_consumer_pending",
    ),
  };
};

/**
 * Reads the services' metrics before and after a step and reports the difference, and times
 * the room-views query while the step runs.
 */
export const serviceProbe = (stack: BenchStack, views: RoomViewsProbe) => ({
  before: async () => ({ reading: await read(stack), sampling: views.start() }),
  after: async (before: unknown): Promise<ServiceStep> => {
    const { reading: start, sampling } = before as {
      reading: Reading;
      sampling: ReturnType<RoomViewsProbe["start"]>;
    };
    const roomViewsQuery = await sampling.stop();
    const end = await read(stack);
    const hops = Object.fromEntries(
      Object.keys(HOPS).map((hop) => {
        const count = end.hops[hop]!.count - start.hops[hop]!.count;
        const sum = end.hops[hop]!.sum - start.hops[hop]!.sum;
        return [hop, { meanMs: count > 0 ? Math.round((sum / count) * 1e5) / 100 : null, count }];
      }),
    ) as ServiceStep["hops"];
    const counters = Object.fromEntries(
      Object.keys(COUNTERS).map((name) => [name, end.counters[name]! - start.counters[name]!]),
    ) as ServiceStep["counters"];
    return { hops, counters, notificationBacklogAtEnd: end.notificationBacklog, roomViewsQuery };
  },
});
