import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { subjectsFor } from "@support-chat/contracts";
import type { Redis } from "ioredis";
import {
  connectNats,
  createMetricsRegistry,
  opsHandler,
  startOpsServer,
  type Logger,
} from "@support-chat/service-kit";
import { listenToAssignments, type AssignmentListener } from "./adapters/assignment-listener.js";
import { eventHandler, eventTypeOf, laneOf } from "./adapters/event-handler.js";
import { startEventConsumer, type EventConsumer } from "./adapters/event-consumer.js";
import { notificationMetrics } from "./adapters/metrics.js";
import { connectRedis } from "./adapters/redis.js";
import { cachedRoomViews, roomViewsOverNats } from "./adapters/room-views.js";
import { redisPushPublisher } from "./adapters/socket-pushes.js";
import { RoomHolds } from "./domain/redelivery.js";
import type { NotificationConfig } from "./config.js";
import { startWebhooks, type Webhooks } from "./webhooks.js";
import { startMail, type Mail } from "./adapters/mail/mail.js";

export { NotificationConfig } from "./config.js";

export type NotificationService = {
  /** Stops consuming, finishes the events being handled, closes the connections. */
  stop: () => Promise<void>;
  /** The port `/healthz`, `/readyz` and `/metrics` listen on. */
  opsPort: number;
};

/** The durable consumer's name: shared by every replica, so each event is handled once. */
export const notificationConsumerName = (namespace: string): string =>
  subjectsFor(namespace).queueGroup("notification");

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

const closeRedis = (redis: Redis) => redis.quit().catch(() => redis.disconnect());

export const startNotificationService = async (
  config: NotificationConfig,
  log: Logger,
): Promise<NotificationService> => {
  const subjects = subjectsFor(config.NATS_NAMESPACE);
  const nc = await connectNats(config.NATS_URL, "notification-service", log);
  const redis = await connectRedis(config.REDIS_URL, log).catch(async (err: unknown) => {
    await nc.close();
    throw err;
  });

  let consumer: EventConsumer | undefined;
  let draining = false;
  const registry = createMetricsRegistry("notification-service");
  const metrics = notificationMetrics(registry, () => {
    if (!consumer) return Promise.reject(new Error("not consuming yet"));
    return consumer.pending();
  });

  const publish = redisPushPublisher(redis, config.SOCKET_IO_REDIS_KEY);
  const handle = eventHandler({
    viewsOf: cachedRoomViews(roomViewsOverNats(nc, subjects, config.NATS_REQUEST_TIMEOUT_MS)),
    publish,
    holds: new RoomHolds({ graceMs: config.NOTIFICATION_RETRY_DELAY_MS, recheckMs: 100 }),
    retry: {
      baseMs: config.NOTIFICATION_RETRY_DELAY_MS,
      maxMs: config.NOTIFICATION_RETRY_MAX_DELAY_MS,
    },
    metrics,
    log,
    now: Date.now,
  });

  let ops: Server | undefined;
  let assignments: AssignmentListener | undefined;
  let webhooks: Webhooks | undefined;
  let mail: Mail | undefined;
  try {
    consumer = await startEventConsumer({
      nc,
      subjects,
      durable: notificationConsumerName(config.NATS_NAMESPACE),
      laneOf,
      handle,
      concurrency: config.NOTIFICATION_CONCURRENCY,
      release: (msg) => {
        msg.nak();
        metrics.consumed(eventTypeOf(msg.subject), "released");
        log.debug({ streamSeq: msg.seq }, "event handed back for redelivery");
      },
      log,
    });
    assignments = listenToAssignments({
      nc,
      subjects,
      publish,
      metrics,
      repushMs: config.NOTIFICATION_QUEUE_REPUSH_MS,
      now: Date.now,
      log,
    });
    const webhooksStarted = await startWebhooks({ config, nc, subjects, registry, log });
    webhooks = webhooksStarted;
    mail = await startMail({ config, nc, subjects, redis, registry, log });
    // Once the server has our subscriptions, no snapshot published from now on is missed.
    await nc.flush();
    ops = await startOpsServer(
      config.NOTIFICATION_OPS_PORT,
      opsHandler({
        registry,
        checks: [
          { name: "nats", check: () => nc.flush() },
          { name: "redis", check: () => redis.ping() },
          { name: "postgres", check: () => webhooksStarted.check() },
        ],
        isDraining: () => draining,
      }),
    );
  } catch (err) {
    await mail?.stop();
    await webhooks?.stop();
    await assignments?.stop();
    await consumer?.stop();
    await Promise.allSettled([nc.close(), closeRedis(redis)]);
    throw err;
  }
  const opsPort = (ops.address() as AddressInfo).port;
  log.info({ opsPort, stream: subjects.eventStream }, "notification service consuming room events");

  const stop = async () => {
    draining = true;
    await assignments?.stop();
    await consumer?.stop();
    await webhooks?.stop();
    await mail?.stop();
    await closeServer(ops);
    await nc.drain();
    await closeRedis(redis);
    log.info("notification service stopped");
  };
  let stopped: Promise<void> | undefined;

  return { opsPort, stop: () => (stopped ??= stop()) };
};
