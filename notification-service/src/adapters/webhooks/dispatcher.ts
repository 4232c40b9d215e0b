import type { DeliveryAttempt } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { isDelivered, nextStep, type RetryPolicy } from "../../domain/webhooks/retry.js";
import { deliveryHeaders } from "../../domain/webhooks/signature.js";
import type { WebhookMetrics } from "./metrics.js";
import type { Sender } from "./sender.js";
import type { ClaimedDelivery, WebhookStore } from "./store.js";

export type DispatcherDeps = {
  store: Pick<WebhookStore, "claimDue" | "recordAttempt">;
  send: Sender;
  policy: RetryPolicy;
  /** Attempts in flight at once in this replica, and to any one endpoint. */
  concurrency: number;
  perEndpoint: number;
  /** How long a claimed row stays with this replica; beyond the attempt's timeout. */
  leaseMs: number;
  pollMs: number;
  metrics: WebhookMetrics;
  log: Logger;
  now: () => Date;
  random: () => number;
};

export type Dispatcher = {
  /** Look for due deliveries now rather than at the next poll. */
  wake: () => void;
  /** Stops claiming and waits for the attempts in flight (each ends within its timeout). */
  stop: () => Promise<void>;
};

const FAILURE_PAUSE_MS = { first: 250, max: 5000 };

/**
 * Sends due webhook deliveries. Every replica runs one; they share the work through the
 * claim (`FOR UPDATE SKIP LOCKED`), so a delivery is attempted by one replica at a time.
 * Attempts run beside the socket pushes, never in their way: a slow receiver holds only its
 * own slots (at most `perEndpoint` of the `concurrency`).
 */
export const startDispatcher = (deps: DispatcherDeps): Dispatcher => {
  const { log } = deps;
  const inFlight = new Map<string, number>();
  const attempts = new Set<Promise<void>>();
  let stopping = false;
  let woken = false;
  let wakeUp = () => {};

  const wake = () => {
    woken = true;
    wakeUp();
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = () => {};
        resolve();
      }
      wakeUp = done;
    });

  const attempt = async (delivery: ClaimedDelivery): Promise<void> => {
    const at = deps.now();
    const result = await deps.send({
      url: delivery.url,
      body: delivery.body,
      headers: deliveryHeaders({
        eventId: delivery.eventId,
        secret: delivery.secret,
        body: delivery.body,
        now: at,
      }),
    });
    const now = deps.now();
    const step = nextStep({
      delivered: isDelivered(result.statusCode),
      attempts: delivery.attempts,
      createdAt: delivery.createdAt,
      now,
      policy: deps.policy,
      random: deps.random,
    });
    const record: DeliveryAttempt = {
      at: at.toISOString(),
      statusCode: result.statusCode,
      error: result.error,
      durationMs: result.durationMs,
    };
    const outcome = step.status === "pending" ? "retrying" : step.status;
    deps.metrics.attempt(outcome, result.durationMs / 1000);
    const context = {
      deliveryId: delivery.id,
      eventId: delivery.eventId,
      subscriptionId: delivery.subscriptionId,
      attempt: delivery.attempts,
      statusCode: result.statusCode,
      error: result.error,
    };
    try {
      const recorded = await deps.store.recordAttempt(delivery, record, step, now);
      if (!recorded) log.info(context, "webhook delivery changed meanwhile; attempt not recorded");
    } catch (err) {
      // The lease runs out and the delivery is tried again: late, perhaps twice, never lost.
      log.warn({ ...context, err: (err as Error).message }, "webhook attempt not recorded");
      return;
    }
    if (outcome === "delivered") log.debug(context, "webhook delivered");
    else if (outcome === "failed") log.warn(context, "webhook delivery failed for good");
    else
      log.info(
        { ...context, nextAttemptAt: step.status === "pending" && step.nextAttemptAt },
        "webhook attempt failed; will retry",
      );
  };

  const start = (delivery: ClaimedDelivery) => {
    inFlight.set(delivery.subscriptionId, (inFlight.get(delivery.subscriptionId) ?? 0) + 1);
    const running: Promise<void> = attempt(delivery)
      .catch((err: unknown) =>
        log.error({ err, deliveryId: delivery.id }, "webhook attempt crashed"),
      )
      .finally(() => {
        const left = (inFlight.get(delivery.subscriptionId) ?? 1) - 1;
        if (left > 0) inFlight.set(delivery.subscriptionId, left);
        else inFlight.delete(delivery.subscriptionId);
        attempts.delete(running);
        wake();
      });
    attempts.add(running);
  };

  /** Claims what is due and free slots allow; true when there may be more right away. */
  const claimBatch = async (): Promise<boolean> => {
    const free = deps.concurrency - attempts.size;
    if (free <= 0) return false;
    const now = deps.now();
    const claimed = await deps.store.claimDue({
      limit: free,
      perEndpoint: deps.perEndpoint,
      inFlight,
      now,
      leaseUntil: new Date(now.getTime() + deps.leaseMs),
    });
    claimed.forEach(start);
    return claimed.length === free;
  };

  const run = async () => {
    let failures = 0;
    while (!stopping) {
      woken = false;
      let more = false;
      try {
        more = await claimBatch();
        failures = 0;
      } catch (err) {
        failures += 1;
        log.warn({ err: (err as Error).message, failures }, "cannot claim webhook deliveries");
        await pause(Math.min(FAILURE_PAUSE_MS.first * 2 ** (failures - 1), FAILURE_PAUSE_MS.max));
        continue;
      }
      if (!more) await pause(deps.pollMs);
    }
  };
  const running = run();

  return {
    wake,
    stop: async () => {
      stopping = true;
      wakeUp();
      await running;
      await Promise.allSettled([...attempts]);
    },
  };
};
