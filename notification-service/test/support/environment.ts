import { randomUUID } from "node:crypto";
import { jetstream, jetstreamManager, type JetStreamClient } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { ChatServiceConfig, startChatService, type ChatService } from "@support-chat/chat-service";
import {
  chatCommands,
  subjectsFor,
  type Actor,
  type ChatCommandName,
  type ReplyOf,
  type RequestOf,
  type Subjects,
} from "@support-chat/contracts";
import { createLogger, requesterFor, type Logger } from "@support-chat/service-kit";
import {
  createTestDatabase,
  natsUrl,
  redisUrl,
  uniqueName,
  type TestDatabase,
} from "@support-chat/test-support";
import {
  NotificationConfig,
  startNotificationService,
  type NotificationService,
} from "../../src/service.js";
import { startTestGateway, type TestGateway } from "./test-gateway.js";

export type Environment = {
  subjects: Subjects;
  /** The test's own NATS connection, to publish what other services would. */
  nc: NatsConnection;
  gateway: TestGateway;
  js: JetStreamClient;
  notificationConfig: NotificationConfig;
  log: Logger;
  /** Sends a command to the chat service as `actor`, as the gateway would. */
  command: <K extends ChatCommandName>(
    actor: Actor,
    name: K,
    payload: RequestOf<(typeof chatCommands)[K]>,
  ) => Promise<ReplyOf<(typeof chatCommands)[K]>>;
  notification: () => NotificationService;
  startNotification: () => Promise<NotificationService>;
  stopNotification: () => Promise<void>;
  startChat: () => Promise<void>;
  stopChat: () => Promise<void>;
  metrics: () => Promise<string>;
  close: () => Promise<void>;
};

/**
 * One integration environment per test file: its own database, NATS namespace (and so its own
 * stream and consumer) and socket.io Redis key, with the real chat service and the notification
 * service running in this process.
 */
export const startEnvironment = async (): Promise<Environment> => {
  const log = createLogger("test", process.env.TEST_LOG_LEVEL ?? "silent");
  const namespace = uniqueName("t");
  const subjects = subjectsFor(namespace);
  const database: TestDatabase = await createTestDatabase();
  const nc: NatsConnection = await connect({ servers: natsUrl() });
  const base = { NATS_URL: natsUrl(), NATS_NAMESPACE: namespace, LOG_LEVEL: "silent" };
  const chatConfig = ChatServiceConfig.parse({
    ...base,
    DATABASE_URL: database.url,
    CHAT_OPS_PORT: "0",
    RELAY_POLL_INTERVAL_MS: "50",
  });
  const notificationConfig = NotificationConfig.parse({
    ...base,
    REDIS_URL: redisUrl(),
    SOCKET_IO_REDIS_KEY: uniqueName("sio"),
    NOTIFICATION_OPS_PORT: "0",
    NOTIFICATION_RETRY_DELAY_MS: "100",
    NOTIFICATION_RETRY_MAX_DELAY_MS: "400",
    // Webhooks: the test database, local receivers over http, retries in milliseconds.
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "4",
    WEBHOOK_ALLOW_HTTP: "true",
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    WEBHOOK_RETRY_BASE_MS: "50",
    WEBHOOK_RETRY_MAX_DELAY_MS: "200",
    WEBHOOK_MAX_ATTEMPTS: "5",
    WEBHOOK_TIMEOUT_MS: "1000",
    WEBHOOK_POLL_INTERVAL_MS: "50",
  });

  let chat: ChatService | undefined = await startChatService(
    chatConfig,
    log.child({ svc: "chat" }),
  );
  let notification: NotificationService | undefined = await startNotificationService(
    notificationConfig,
    log,
  );
  const gateway = await startTestGateway(redisUrl(), notificationConfig.SOCKET_IO_REDIS_KEY);
  const request = requesterFor({
    nc,
    operations: chatCommands,
    subjectOf: subjects.command,
    timeoutMs: 5000,
  });

  return {
    subjects,
    nc,
    gateway,
    js: jetstream(nc),
    notificationConfig,
    log,
    command: (actor, name, payload) =>
      request(name, { actor, correlationId: randomUUID(), payload }),
    notification: () => {
      if (!notification) throw new Error("the notification service is stopped");
      return notification;
    },
    startNotification: async () => {
      notification = await startNotificationService(notificationConfig, log);
      return notification;
    },
    stopNotification: async () => {
      await notification?.stop();
      notification = undefined;
    },
    startChat: async () => {
      chat = await startChatService(chatConfig, log.child({ svc: "chat" }));
    },
    stopChat: async () => {
      await chat?.stop();
      chat = undefined;
    },
    metrics: async () => {
      if (!notification) throw new Error("the notification service is stopped");
      const res = await fetch(`http://127.0.0.1:${notification.opsPort}/metrics`);
      return res.text();
    },
    close: async () => {
      await gateway.close();
      await notification?.stop();
      await chat?.stop();
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(subjects.eventStream).catch(() => false);
      await nc.close();
      await database.drop();
    },
  };
};

/** A value of a Prometheus sample, e.g. `notification_events_total{type="X",outcome="y"}`. */
export const sampleOf = (metrics: string, name: string, labels: Record<string, string>): number => {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of metrics.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf("}"));
    if (wanted.every((w) => labelText.split(",").includes(w))) {
      return Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return 0;
};

export const customer = (name: string): Actor => ({
  id: uniqueName(`${name.toLowerCase()}-`),
  name,
  role: "customer",
});

export const agent = (name: string): Actor => ({
  id: uniqueName(`agent-${name.toLowerCase()}-`),
  name,
  role: "agent",
});
