import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import {
  cannedCommands,
  cannedQueries,
  chatCommands,
  chatQueries,
  subjectsFor,
  type Operation,
} from "@support-chat/contracts";
import {
  connectNats,
  createMetricsRegistry,
  ensureEventStream,
  opsHandler,
  serveOperations,
  startOpsServer,
  type Handler,
  type Handlers,
  type Logger,
} from "@support-chat/service-kit";
import type { ChatServiceConfig } from "./config.js";
import { commandHandlers } from "./adapters/bus/command-handlers.js";
import { queryHandlers } from "./adapters/bus/query-handlers.js";
import { cannedCommandHandlers, cannedQueryHandlers } from "./adapters/bus/canned-handlers.js";
import { createCannedStore } from "./adapters/store/canned-store.js";
import { createChatMetrics } from "./adapters/metrics.js";
import { startRelay, type Relay } from "./adapters/relay/relay.js";
import { connectDatabase, type DatabaseHandle } from "./adapters/store/db.js";
import { createEventStore } from "./adapters/store/event-store.js";
import { createMessageBatcher } from "./adapters/store/message-batch.js";
import { applyMigrations } from "./adapters/store/migrate.js";
import { createReadModel } from "./adapters/store/read-model.js";
import { roomDecider } from "./domain/decide.js";

export { ChatServiceConfig } from "./config.js";

export type ChatService = {
  /** Port of /healthz, /readyz and /metrics (useful with CHAT_OPS_PORT=0). */
  opsPort: number;
  /** Stops taking requests, finishes those in flight, stops the relay, closes connections. */
  stop: () => Promise<void>;
};

/** Counts requests being handled, so shutdown can wait for them to finish. */
const inFlightTracker = () => {
  let count = 0;
  let idle: (() => void) | undefined;
  const track = <M extends Record<string, Operation>>(handlers: Handlers<M>): Handlers<M> =>
    Object.fromEntries(
      Object.entries(handlers).map(([name, handler]) => [
        name,
        (async (request, log) => {
          count++;
          try {
            return await (handler as Handler<Operation>)(request, log);
          } finally {
            if (--count === 0) idle?.();
          }
        }) satisfies Handler<Operation>,
      ]),
    ) as Handlers<M>;
  const drained = () =>
    count === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve));
  return { track, drained };
};

export const startChatService = async (
  config: ChatServiceConfig,
  log: Logger,
  /** The clock events are recorded by; tests set it to script conversations at known times. */
  clock: () => Date = () => new Date(),
): Promise<ChatService> => {
  const subjects = subjectsFor(config.NATS_NAMESPACE);
  const registry = createMetricsRegistry("chat-service");
  const metrics = createChatMetrics(registry);

  const database: DatabaseHandle = await connectDatabase(
    config.DATABASE_URL,
    config.DATABASE_POOL_SIZE,
    log,
  );
  let nc: NatsConnection | undefined;
  let relay: Relay | undefined;
  try {
    await applyMigrations(database.sql);
    nc = await connectNats(config.NATS_URL, "chat-service", log);
    if (config.RELAY_ENABLED) {
      await ensureEventStream(nc, subjects, config.EVENT_STREAM_MAX_AGE_HOURS * 3600_000);
      relay = await startRelay({
        db: database.db,
        databaseUrl: config.DATABASE_URL,
        js: jetstream(nc),
        subjects,
        batchSize: config.RELAY_BATCH_SIZE,
        pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
        metrics,
        log: log.child({ component: "relay" }),
      });
    }
  } catch (e) {
    await relay?.stop();
    await nc?.close();
    await database.close();
    throw e;
  }
  const natsConnection = nc;

  const store = createEventStore({
    db: database.db,
    log,
    metrics,
    onAppended: () => relay?.wake(),
    messages: createMessageBatcher({
      sql: database.sql,
      concurrency: config.MESSAGE_APPEND_CONCURRENCY,
      maxBatch: config.MESSAGE_APPEND_BATCH_SIZE,
      maxWaiting: config.MESSAGE_APPEND_MAX_WAITING,
      maxWaitMs: config.MESSAGE_APPEND_MAX_WAIT_MS,
      onShed: (count) => metrics.messagesShed.inc(count),
    }),
  });
  const read = createReadModel(database.db);
  const canned = {
    canned: createCannedStore({ db: database.db, metrics, onAppended: () => relay?.wake() }),
    now: () => new Date(),
  };
  const decider = roomDecider({ messageMaxLength: config.MESSAGE_MAX_LENGTH });
  const inFlight = inFlightTracker();

  const subscriptions: Subscription[] = [
    ...serveOperations({
      nc: natsConnection,
      operations: chatCommands,
      subjectOf: subjects.command,
      queue: subjects.queueGroup("chat-service"),
      handlers: inFlight.track(commandHandlers({ store, read, decider, now: clock })),
      log,
      observe: ({ operation, outcome, seconds }) =>
        metrics.commandSeconds.observe({ command: operation, outcome }, seconds),
    }),
    ...serveOperations({
      nc: natsConnection,
      operations: chatQueries,
      subjectOf: subjects.query,
      queue: subjects.queueGroup("chat-service"),
      handlers: inFlight.track(queryHandlers(read, clock)),
      log,
    }),
    ...serveOperations({
      nc: natsConnection,
      operations: cannedCommands,
      subjectOf: subjects.cannedCommand,
      queue: subjects.queueGroup("chat-service"),
      handlers: inFlight.track(cannedCommandHandlers(canned)),
      log,
      observe: ({ operation, outcome, seconds }) =>
        metrics.commandSeconds.observe({ command: operation, outcome }, seconds),
    }),
    ...serveOperations({
      nc: natsConnection,
      operations: cannedQueries,
      subjectOf: subjects.cannedQuery,
      queue: subjects.queueGroup("chat-service"),
      handlers: inFlight.track(cannedQueryHandlers(canned)),
      log,
    }),
  ];
  // A request published right after start must find a subscriber on the server.
  await natsConnection.flush();

  let draining = false;
  const server: Server = await startOpsServer(
    config.CHAT_OPS_PORT,
    opsHandler({
      registry,
      isDraining: () => draining,
      checks: [
        { name: "postgres", check: () => database.sql`select 1` },
        { name: "nats", check: () => natsConnection.flush() },
      ],
    }),
  );
  log.info({ namespace: subjects.namespace, relay: config.RELAY_ENABLED }, "chat service ready");

  let stopped: Promise<void> | undefined;
  const stop = async () => {
    draining = true;
    await Promise.all(subscriptions.map((s) => s.drain().catch(() => undefined)));
    await inFlight.drained();
    await relay?.stop();
    await natsConnection.drain().catch(() => undefined);
    await database.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    log.info("chat service stopped");
  };

  return {
    opsPort: (server.address() as AddressInfo).port,
    stop: () => (stopped ??= stop()),
  };
};
