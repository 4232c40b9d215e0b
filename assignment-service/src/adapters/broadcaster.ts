import type { NatsConnection } from "@nats-io/transport-node";
import type { AgentUpdated, QueueSnapshot, Subjects } from "@support-chat/contracts";
import type { z } from "zod";
import { agentViews, queueSnapshot } from "../domain/state.js";
import type { LiveState } from "./live-state.js";
import { encodeJson } from "./wire.js";

/** Changes closer together than this go out as one snapshot. */
const COALESCE_MS = 25;

/**
 * The leader tells the notification service what customers and agents should see: a queue
 * snapshot whenever the queue or its figures change and every `intervalMs` regardless (so a
 * missed one heals), and an AgentUpdated for each agent whose view changed. Standbys publish
 * nothing, so nobody is told twice.
 */
export const createBroadcaster = (opts: {
  nc: NatsConnection;
  subjects: Subjects;
  live: LiveState;
  isLeader: () => boolean;
  intervalMs: number;
}) => {
  const { nc, subjects, live } = opts;
  let lastQueue = "";
  const lastAgents = new Map<string, string>();
  let pending: NodeJS.Timeout | undefined;

  const publishQueue = (force: boolean) => {
    const snapshot: QueueSnapshot = queueSnapshot(live.get(), live.now(), live.rules);
    const key = JSON.stringify({ ...snapshot, at: undefined });
    if (!force && key === lastQueue) return;
    lastQueue = key;
    nc.publish(subjects.queueUpdated, encodeJson(snapshot));
  };

  const publishAgents = () => {
    for (const agent of agentViews(live.get(), live.now(), live.rules)) {
      const key = JSON.stringify(agent);
      if (lastAgents.get(agent.agentId) === key) continue;
      lastAgents.set(agent.agentId, key);
      const update: z.infer<typeof AgentUpdated> = { agent };
      nc.publish(subjects.agentUpdated, encodeJson(update));
    }
  };

  const flush = (force = false) => {
    pending = undefined;
    if (!opts.isLeader() || nc.isClosed()) return;
    publishQueue(force);
    publishAgents();
  };

  const periodic = setInterval(() => flush(true), opts.intervalMs);

  return {
    /** Something changed: publish what differs, soon. */
    changed: () => {
      pending ??= setTimeout(flush, COALESCE_MS);
    },
    /** A new leader publishes everything once, since it cannot know what the last one sent. */
    tookOver: () => {
      lastQueue = "";
      lastAgents.clear();
      flush(true);
    },
    stop: () => {
      clearInterval(periodic);
      clearTimeout(pending);
    },
  };
};

export type Broadcaster = ReturnType<typeof createBroadcaster>;
