import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import {
  assignmentCommands,
  assignmentQueries,
  subjectsFor,
  type Subjects,
} from "@support-chat/contracts";
import {
  connectNats,
  createMetricsRegistry,
  serveOperations,
  type Logger,
} from "@support-chat/service-kit";
import { onLastAssignments, onTick, type AssignmentState } from "./domain/state.js";
import type { AssignmentConfig } from "./config.js";
import { createBroadcaster } from "./adapters/broadcaster.js";
import { createChatClient } from "./adapters/chat-client.js";
import { startLeadership } from "./adapters/leadership.js";
import { createLiveState, type LiveState } from "./adapters/live-state.js";
import { createAssignmentMetrics, registerConsumerPending } from "./adapters/metrics.js";
import { operationHandlers } from "./adapters/operations.js";
import { startAssignmentOps } from "./adapters/ops-server.js";
import { listenToPresence } from "./adapters/presence-listener.js";
import { prepareRoomEvents } from "./adapters/room-events.js";
import { readAllRooms } from "./adapters/room-reader.js";
import { createRouter } from "./adapters/router.js";
import { createSettingsSync } from "./adapters/settings-sync.js";
import { createAgentStore } from "./adapters/store/agent-store.js";
import { connectDatabase, type DatabaseHandle } from "./adapters/store/db.js";
import { applyMigrations } from "./adapters/store/migrate.js";

export { AssignmentConfig } from "./config.js";

export type AssignmentService = {
  /** Port of /healthz, /readyz and /metrics (useful with ASSIGNMENT_OPS_PORT=0). */
  opsPort: number;
  /** This replica's name (its event consumer is named after it). */
  replicaId: string;
  /** Whether this replica is the one routing right now. */
  isLeader: () => boolean;
  /** The rooms have been read and routing may start. */
  isReady: () => boolean;
  /** What this replica currently believes (for tests and debugging). */
  state: () => AssignmentState;
  /** Stops routing and publishing, finishes what is in flight, closes connections. */
  stop: () => Promise<void>;
};

const READ_RETRY_MS = 1000;

export const startAssignmentService = async (
  config: AssignmentConfig,
  log: Logger,
): Promise<AssignmentService> => {
  const subjects = subjectsFor(config.NATS_NAMESPACE);
  const replicaId = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const live = createLiveState({
    policy: config.ROUTING_POLICY,
    defaultMaxChats: config.AGENT_MAX_CHATS,
    presenceTtlMs: config.PRESENCE_TTL_MS,
    offlineGraceMs: config.AGENT_OFFLINE_GRACE_MS,
  });

  const database: DatabaseHandle = await connectDatabase(
    config.DATABASE_URL,
    config.DATABASE_POOL_SIZE,
    log,
  );
  let nc: NatsConnection | undefined;
  try {
    await applyMigrations(database.sql);
    nc = await connectNats(config.NATS_URL, "assignment-service", log);
  } catch (e) {
    await database.close();
    throw e;
  }
  const natsConnection = nc;
  try {
    return await wire(config, log, { database, nc: natsConnection, live, subjects, replicaId });
  } catch (e) {
    await natsConnection.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw e;
  }
};

const wire = async (
  config: AssignmentConfig,
  log: Logger,
  deps: {
    database: DatabaseHandle;
    nc: NatsConnection;
    live: LiveState;
    subjects: Subjects;
    replicaId: string;
  },
): Promise<AssignmentService> => {
  const { database, nc: natsConnection, live, subjects, replicaId } = deps;
  const store = createAgentStore(database.db);
  const chat = createChatClient(natsConnection, subjects, config.NATS_REQUEST_TIMEOUT_MS);
  const settings = createSettingsSync({
    nc: natsConnection,
    subjects,
    replicaId,
    store,
    live,
    log,
  });
  await settings.loadAll();
  const lastAssigned = await store.lastAssignments();
  live.update((s) => onLastAssignments(s, lastAssigned));

  let ready = false;
  let stopping = false;
  let leading = false;
  const isLeader = () => leading;

  const registry = createMetricsRegistry("assignment-service");
  const metrics = createAssignmentMetrics(registry, live, isLeader);
  const presence = listenToPresence({ nc: natsConnection, subjects, live, log });
  const events = await prepareRoomEvents({
    nc: natsConnection,
    subjects,
    replicaId,
    store,
    chat,
    live,
    log,
  });
  registerConsumerPending(registry, events.pending);
  const router = createRouter({
    live,
    chat,
    store,
    metrics,
    policy: config.ROUTING_POLICY,
    mayRoute: () => !stopping && ready && isLeader() && events.isCaughtUp(),
    log,
  });
  const broadcaster = createBroadcaster({
    nc: natsConnection,
    subjects,
    live,
    isLeader: () => !stopping && ready && isLeader(),
    intervalMs: config.QUEUE_BROADCAST_MS,
  });
  live.onChange(() => {
    router.schedule();
    broadcaster.changed();
  });

  const handlers = operationHandlers({
    live,
    chat,
    store,
    settings,
    metrics,
    isReady: () => ready,
    reroute: router.schedule,
  });
  const queue = subjects.queueGroup("assignment-service");
  const served: Subscription[] = [
    ...serveOperations({
      nc: natsConnection,
      operations: assignmentCommands,
      subjectOf: subjects.assignmentCommand,
      queue,
      handlers: handlers.commands,
      log,
    }),
    ...serveOperations({
      nc: natsConnection,
      operations: assignmentQueries,
      subjectOf: subjects.assignmentQuery,
      queue,
      handlers: handlers.queries,
      log,
    }),
  ];

  // The chat service may still be starting: keep trying to read the rooms, in the background.
  const readRooms = async () => {
    while (!stopping) {
      try {
        await readAllRooms({ chat, store, live }, log);
        return;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        log.warn({ reason }, "cannot read the rooms from the chat service yet; retrying");
        await new Promise((r) => setTimeout(r, READ_RETRY_MS));
      }
    }
  };
  const warmUp = (async () => {
    await readRooms();
    if (stopping) return;
    await events.start();
    ready = true;
    log.info({ replicaId }, "queue rebuilt; following room events");
    router.schedule();
  })();

  const ops = await startAssignmentOps({
    port: config.ASSIGNMENT_OPS_PORT,
    registry,
    sql: database.sql,
    nc: natsConnection,
    isReady: () => ready,
    isDraining: () => stopping,
  });

  const leadership = startLeadership({
    databaseUrl: config.DATABASE_URL,
    namespace: subjects.namespace,
    log,
    onChange: (leader) => {
      leading = leader;
      if (!leader) return;
      // A standby is warm, but re-reading settings and rooms costs little and heals any drift.
      void (async () => {
        await warmUp;
        await settings.loadAll().catch((err: unknown) => log.warn({ err }, "settings reload"));
        await readAllRooms({ chat, store, live }, log).catch((err: unknown) =>
          log.warn({ err }, "room reload on takeover"),
        );
        broadcaster.tookOver();
        router.schedule();
      })();
    },
  });

  const sweep = setInterval(() => {
    live.update((s, now) => onTick(s, now, live.rules));
    router.schedule();
  }, config.ROUTING_SWEEP_MS);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(sweep);
    broadcaster.stop();
    // Hand routing over first, so a standby takes over while we finish.
    await leadership.stop();
    for (const s of [...served, ...presence, settings.subscription]) s.unsubscribe();
    await warmUp.catch(() => undefined);
    await router.idle();
    await events.stop();
    await natsConnection.drain().catch(() => undefined);
    await new Promise<void>((resolve) => ops.close(() => resolve()));
    await database.close();
  };

  return {
    opsPort: (ops.address() as AddressInfo).port,
    replicaId,
    isLeader,
    isReady: () => ready,
    state: live.get,
    stop,
  };
};
