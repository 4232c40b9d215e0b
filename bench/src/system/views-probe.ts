import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { connect } from "@nats-io/transport-node";
import { chatCommands, chatQueries, subjectsFor, type Actor } from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";
import { natsUrl } from "@support-chat/test-support";
import { summarize, type LatencySummary } from "../stats.js";

/** Asks the way the notification service asks (a system actor), for one room of its own. */
const NOTIFIER: Actor = { id: "bench-probe", name: "Benchmark probe", role: "system" };

/**
 * Times the chat service's `getRoomViews` query while a step runs, a few times a second: the
 * notification service makes exactly this request, one at a time, before every event's pushes,
 * so its latency under load bounds how many events per second the pushes can follow.
 */
export const roomViewsProbe = async (namespace: string, everyMs = 100) => {
  const nc = await connect({ servers: natsUrl() });
  const subjects = subjectsFor(namespace);
  const timeoutMs = 10_000;
  const command = requesterFor({
    nc,
    operations: chatCommands,
    subjectOf: subjects.command,
    timeoutMs,
  });
  const query = requesterFor({ nc, operations: chatQueries, subjectOf: subjects.query, timeoutMs });
  const customer: Actor = {
    id: `bench-views-${randomUUID().slice(0, 8)}`,
    name: "Probe",
    role: "customer",
  };
  const room = await command("openRoom", {
    actor: customer,
    correlationId: randomUUID(),
    payload: {},
  });

  const sample = async (): Promise<number> => {
    const t = performance.now();
    await query("getRoomViews", {
      actor: NOTIFIER,
      correlationId: randomUUID(),
      payload: { roomId: room.id },
    });
    return performance.now() - t;
  };

  return {
    /** Starts sampling; `stop` resolves with the latencies seen meanwhile. */
    start: () => {
      const latencies: number[] = [];
      let inFlight: Promise<void> = Promise.resolve();
      const timer = setInterval(() => {
        inFlight = sample()
          .then((ms) => void latencies.push(ms))
          .catch(() => undefined);
      }, everyMs);
      return {
        stop: async (): Promise<LatencySummary> => {
          clearInterval(timer);
          await inFlight;
          return summarize(latencies);
        },
      };
    },
    close: () => nc.close(),
  };
};
export type RoomViewsProbe = Awaited<ReturnType<typeof roomViewsProbe>>;
