import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { AgentUpdated, QueueSnapshot, type Subjects } from "@support-chat/contracts";
import { describe, type Logger } from "@support-chat/service-kit";
import type { z } from "zod";
import { agentPush, emptyQueueMemory, queuePushes } from "../domain/queue-pushes.js";
import type { NotificationMetrics } from "./metrics.js";
import type { PushPublisher } from "./socket-pushes.js";

const decoder = new TextDecoder();

const decode = <S extends z.ZodType>(
  schema: S,
  data: Uint8Array,
): { ok: true; value: z.infer<S> } | { ok: false; problem: string } => {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch {
    return { ok: false, problem: "not JSON" };
  }
  const parsed = schema.safeParse(json);
  return parsed.success
    ? { ok: true, value: parsed.data as z.infer<S> }
    : { ok: false, problem: describe(parsed.error) };
};

export type AssignmentListener = {
  /** Stops listening and waits for the snapshot in hand. */
  stop: () => Promise<void>;
};

/**
 * Turns what the assignment service publishes into pushes: queue positions for waiting
 * customers and agent changes for the consoles. Plain NATS in a queue group, so each message
 * reaches one replica. A queue snapshot is the whole queue, so when several arrive while one
 * is being pushed only the latest is worth pushing; the memory of what was pushed moves on only
 * once Redis has taken the pushes, so a failure is repaired by the next snapshot.
 */
export const listenToAssignments = (opts: {
  nc: NatsConnection;
  subjects: Subjects;
  publish: PushPublisher;
  metrics: NotificationMetrics;
  repushMs: number;
  now: () => number;
  log: Logger;
}): AssignmentListener => {
  const { nc, subjects, publish, metrics, log } = opts;
  const queue = subjects.queueGroup("notification");
  let memory = emptyQueueMemory();
  let latest: QueueSnapshot | undefined;
  let draining: Promise<void> | undefined;

  const pushSnapshot = async (snapshot: QueueSnapshot) => {
    const next = queuePushes(memory, snapshot, opts.now(), opts.repushMs);
    try {
      await publish(next.pushes);
    } catch (err) {
      metrics.assignmentUpdate("queue", "failed");
      log.warn(
        { err: (err as Error).message },
        "queue positions not pushed; the next snapshot retries",
      );
      return;
    }
    memory = next.memory;
    metrics.assignmentUpdate("queue", "pushed");
    metrics.queuePushes(next.pushes.length);
  };

  const drain = async () => {
    while (latest !== undefined) {
      const snapshot = latest;
      latest = undefined;
      await pushSnapshot(snapshot);
    }
  };

  const snapshots = nc.subscribe(subjects.queueUpdated, {
    queue,
    callback: (err, msg) => {
      if (err) return log.error({ err }, "queue subscription failed");
      const decoded = decode(QueueSnapshot, msg.data);
      if (!decoded.ok) {
        metrics.assignmentUpdate("queue", "invalid");
        return log.warn({ problem: decoded.problem }, "dropped a malformed queue snapshot");
      }
      if (latest !== undefined) metrics.assignmentUpdate("queue", "superseded");
      latest = decoded.value;
      draining ??= drain().finally(() => {
        draining = undefined;
      });
    },
  });

  const agents = nc.subscribe(subjects.agentUpdated, {
    queue,
    callback: (err, msg) => {
      if (err) return log.error({ err }, "agent subscription failed");
      const decoded = decode(AgentUpdated, msg.data);
      if (!decoded.ok) {
        metrics.assignmentUpdate("agent", "invalid");
        return log.warn({ problem: decoded.problem }, "dropped a malformed agent update");
      }
      // Redis runs commands in the order they were sent, so updates of an agent keep their order.
      publish([agentPush(decoded.value)]).then(
        () => metrics.assignmentUpdate("agent", "pushed"),
        (err: unknown) => {
          metrics.assignmentUpdate("agent", "failed");
          log.warn({ err: (err as Error).message }, "agent update not pushed");
        },
      );
    },
  });

  const subscriptions: Subscription[] = [snapshots, agents];
  return {
    stop: async () => {
      for (const s of subscriptions) s.unsubscribe();
      latest = undefined;
      await draining;
    },
  };
};
