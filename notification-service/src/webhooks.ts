import { randomBytes } from "node:crypto";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { webhookCommands, webhookQueries, type Subjects } from "@support-chat/contracts";
import { serveOperations, type Logger } from "@support-chat/service-kit";
import type { Registry } from "prom-client";
import { laneOf } from "./adapters/event-handler.js";
import { startEventConsumer, type EventConsumer } from "./adapters/event-consumer.js";
import { openWebhookDatabase } from "./adapters/webhooks/database.js";
import { startDispatcher, type Dispatcher } from "./adapters/webhooks/dispatcher.js";
import { webhookIntake } from "./adapters/webhooks/intake.js";
import { webhookMetrics } from "./adapters/webhooks/metrics.js";
import { webhookHandlers } from "./adapters/webhooks/operations.js";
import { httpSender } from "./adapters/webhooks/sender.js";
import { webhookStore, type WebhookStore } from "./adapters/webhooks/store.js";
import type { NotificationConfig } from "./config.js";

/** The webhook consumer's durable name: its own position in the stream, apart from the pushes'. */
export const webhookConsumerName = (subjects: Subjects): string =>
  subjects.queueGroup("notification-webhooks");

const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 1000;

/**
 * Deletes settled deliveries past their retention, in batches, now and then. Every replica
 * does it; deleting what another replica just deleted is harmless.
 */
const startPruning = (opts: {
  store: WebhookStore;
  retentionMs: number;
  log: Logger;
}): { stop: () => void } => {
  const prune = async () => {
    const before = new Date(Date.now() - opts.retentionMs);
    try {
      let deleted = 0;
      let batch: number;
      do {
        batch = await opts.store.pruneSettled(before, PRUNE_BATCH);
        deleted += batch;
      } while (batch === PRUNE_BATCH);
      if (deleted > 0) opts.log.info({ deleted }, "old webhook deliveries deleted");
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, "could not delete old webhook deliveries");
    }
  };
  const timer = setInterval(() => void prune(), PRUNE_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};

/** Events in hand at once for writing deliveries (each is one insert). */
const INTAKE_CONCURRENCY = 16;

export type Webhooks = {
  /** Readiness: Postgres answers. */
  check: () => Promise<unknown>;
  stop: () => Promise<void>;
};

/**
 * Webhooks inside the notification service: the subscriptions' bus operations, the durable
 * consumer that turns events into deliveries, and the dispatcher that sends them.
 */
export const startWebhooks = async (opts: {
  config: NotificationConfig;
  nc: NatsConnection;
  subjects: Subjects;
  registry: Registry;
  log: Logger;
}): Promise<Webhooks> => {
  const { config, nc, subjects } = opts;
  const log = opts.log.child({ part: "webhooks" });
  const database = await openWebhookDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE, log);
  const store = webhookStore(database);
  const metrics = webhookMetrics(opts.registry, store.pendingCount);
  const now = () => new Date();

  const dispatcher: Dispatcher = startDispatcher({
    store,
    send: httpSender({
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    }),
    policy: {
      baseMs: config.WEBHOOK_RETRY_BASE_MS,
      maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      maxAgeMs: config.WEBHOOK_MAX_AGE_MS,
    },
    concurrency: config.WEBHOOK_CONCURRENCY,
    perEndpoint: config.WEBHOOK_ENDPOINT_CONCURRENCY,
    leaseMs: config.WEBHOOK_TIMEOUT_MS * 2 + 5000,
    pollMs: config.WEBHOOK_POLL_INTERVAL_MS,
    metrics,
    log,
    now,
    random: Math.random,
  });

  let consumer: EventConsumer | undefined;
  let served: Subscription[] = [];
  try {
    consumer = await startEventConsumer({
      nc,
      subjects,
      durable: webhookConsumerName(subjects),
      laneOf,
      handle: webhookIntake({
        store,
        queued: dispatcher.wake,
        retry: {
          baseMs: config.NOTIFICATION_RETRY_DELAY_MS,
          maxMs: config.NOTIFICATION_RETRY_MAX_DELAY_MS,
        },
        metrics,
        log,
        now,
      }),
      release: (msg) => msg.nak(),
      concurrency: INTAKE_CONCURRENCY,
      log,
    });
    const handlers = webhookHandlers({
      store,
      urlPolicy: {
        allowHttp: config.WEBHOOK_ALLOW_HTTP,
        allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
      },
      randomBytes,
      queued: dispatcher.wake,
      now,
    });
    const queue = subjects.queueGroup("notification");
    served = [
      ...serveOperations({
        nc,
        operations: webhookCommands,
        subjectOf: subjects.webhookCommand,
        queue,
        handlers: handlers.commands,
        log,
      }),
      ...serveOperations({
        nc,
        operations: webhookQueries,
        subjectOf: subjects.webhookQuery,
        queue,
        handlers: handlers.queries,
        log,
      }),
    ];
  } catch (e) {
    await consumer?.stop();
    await dispatcher.stop();
    await database.close();
    throw e;
  }

  const pruning = startPruning({ store, retentionMs: config.WEBHOOK_RETENTION_MS, log });

  return {
    check: () => database.sql`select 1`,
    stop: async () => {
      pruning.stop();
      served.forEach((s) => s.unsubscribe());
      await consumer?.stop();
      await dispatcher.stop();
      await database.close();
    },
  };
};
