import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { loadsOf, queueOf } from "../domain/rooms.js";
import { agentViews, queueSnapshot } from "../domain/state.js";
import type { LiveState } from "./live-state.js";

/**
 * Gauges are read from the live state when Prometheus scrapes, so they can never drift from
 * what the router sees; counters and the histogram count what this replica did.
 */
export const createAssignmentMetrics = (
  registry: Registry,
  live: LiveState,
  isLeader: () => boolean,
) => {
  const registers = [registry];
  new Gauge({
    name: "assignment_queue_length",
    help: "Rooms waiting for an agent",
    registers,
    collect() {
      this.set(queueOf(live.get().rooms).length);
    },
  });
  new Gauge({
    name: "assignment_agents_online",
    help: "Agents with at least one live socket",
    registers,
    collect() {
      this.set(queueSnapshot(live.get(), live.now(), live.rules).agentsOnline);
    },
  });
  new Gauge({
    name: "assignment_agents_available",
    help: "Agents online with status available",
    registers,
    collect() {
      this.set(queueSnapshot(live.get(), live.now(), live.rules).agentsAvailable);
    },
  });
  new Gauge({
    name: "assignment_agent_load",
    help: "Open rooms assigned to each agent",
    labelNames: ["agent"] as const,
    registers,
    collect() {
      this.reset();
      const loads = loadsOf(live.get().rooms);
      for (const view of agentViews(live.get(), live.now(), live.rules)) {
        this.set({ agent: view.agentId }, loads.get(view.agentId) ?? 0);
      }
    },
  });
  new Gauge({
    name: "assignment_leader",
    help: "1 on the replica currently routing, 0 on standbys",
    registers,
    collect() {
      this.set(isLeader() ? 1 : 0);
    },
  });
  return {
    waitSeconds: new Histogram({
      name: "assignment_wait_seconds",
      help: "How long a room waited before an agent was assigned (routed or claimed)",
      buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    }),
    assignments: new Counter({
      name: "assignment_assignments_total",
      help: "Assignment attempts by policy (or claim/transfer) and outcome",
      labelNames: ["policy", "outcome"] as const,
      registers,
    }),
  };
};

export type AssignmentMetrics = ReturnType<typeof createAssignmentMetrics>;

/**
 * `assignment_consumer_pending`, read from the replica's JetStream consumer when Prometheus
 * scrapes. Concurrent scrapes share one request; when NATS does not answer, the last value
 * stays.
 */
export const registerConsumerPending = (registry: Registry, pending: () => Promise<number>) => {
  let sampling: Promise<number | undefined> | undefined;
  const sample = () =>
    (sampling ??= pending()
      .catch(() => undefined)
      .finally(() => {
        sampling = undefined;
      }));
  new Gauge({
    name: "assignment_consumer_pending",
    help: "Events in the stream not yet delivered to this replica's room-event consumer",
    registers: [registry],
    async collect() {
      const value = await sample();
      if (value !== undefined) this.set(value);
    },
  });
};
