import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { subjectsFor } from "@support-chat/contracts";
import { createLogger, loadConfig } from "@support-chat/service-kit";
import {
  createTestDatabase,
  natsUrl,
  redisUrl,
  uniqueName,
  type TestDatabase,
} from "@support-chat/test-support";
import { AssignmentConfig, startAssignmentService } from "@support-chat/assignment-service";
import { ChatServiceConfig, startChatService } from "@support-chat/chat-service";
import { GatewayEnv, startGatewayService } from "@support-chat/gateway-service";
import { NotificationConfig, startNotificationService } from "@support-chat/notification-service";

export type StackOptions = {
  /** Gateway replicas sharing one Redis adapter (default 1). */
  gateways?: number;
  /** Run the chat service in this process (default true); false when a test runs it as a process. */
  chatService?: boolean;
  /** Run the notification service in this process (default true); false when a test runs it as a process. */
  notification?: boolean;
  /**
   * Run the assignment service (default true). Without it, claims, transfers, the agent list
   * and queue positions answer UNAVAILABLE. Tests where agents claim by hand pass
   * `ROUTING_POLICY: "manual"` in `env` instead.
   */
  assignment?: boolean;
  /** Extra environment for every service (e.g. short grace periods in tests). */
  env?: Record<string, string>;
};

type Stoppable = { stop: () => Promise<void> };

/**
 * The whole backend in this process: chat, notification, assignment and N gateways, on free
 * ports, with a database, NATS namespace and Redis key of its own so stacks never meet.
 */
export type Stack = {
  namespace: string;
  database: TestDatabase;
  jwtSecret: string;
  env: Record<string, string>;
  gatewayUrls: string[];
  gatewayUrl: string;
  stop: () => Promise<void>;
};

const level = process.env.TEST_LOG_LEVEL ?? "silent";

export const stackEnv = (
  database: TestDatabase,
  namespace: string,
  extra: Record<string, string> = {},
) => ({
  NODE_ENV: "test",
  LOG_LEVEL: level,
  NATS_URL: natsUrl(),
  NATS_NAMESPACE: namespace,
  DATABASE_URL: database.url,
  DATABASE_POOL_SIZE: "5",
  REDIS_URL: redisUrl(),
  SOCKET_IO_REDIS_KEY: `${namespace}-socket.io`,
  JWT_SECRET: `test-secret-${randomBytes(16).toString("hex")}`,
  AUTH_DEV_LOGIN: "true",
  GATEWAY_PORT: "0",
  CHAT_OPS_PORT: "0",
  NOTIFICATION_OPS_PORT: "0",
  ASSIGNMENT_OPS_PORT: "0",
  CORS_ORIGIN: "*",
  // Each stack keeps its attachments apart (and out of the working tree).
  ATTACHMENT_DIR: join(tmpdir(), `support-chat-attachments-${namespace}`),
  ...extra,
});

export const startStack = async (opts: StackOptions = {}): Promise<Stack> => {
  const namespace = uniqueName("s");
  const database = await createTestDatabase("sys_");
  const env = stackEnv(database, namespace, opts.env);
  const running: Stoppable[] = [];
  try {
    if (opts.chatService ?? true) {
      running.push(
        await startChatService(
          loadConfig(ChatServiceConfig, env),
          createLogger("chat-service", level),
        ),
      );
    }
    if (opts.notification ?? true) {
      running.push(
        await startNotificationService(
          loadConfig(NotificationConfig, env),
          createLogger("notification-service", level),
        ),
      );
    }
    if (opts.assignment ?? true) {
      running.push(
        await startAssignmentService(
          loadConfig(AssignmentConfig, env),
          createLogger("assignment-service", level),
        ),
      );
    }
    const gatewayUrls: string[] = [];
    for (let i = 0; i < (opts.gateways ?? 1); i++) {
      const gateway = await startGatewayService(
        loadConfig(GatewayEnv, env),
        createLogger("gateway-service", level),
      );
      running.push(gateway);
      gatewayUrls.push(gateway.url);
    }
    return {
      namespace,
      database,
      jwtSecret: env.JWT_SECRET,
      env,
      gatewayUrls,
      gatewayUrl: gatewayUrls[0]!,
      stop: () => stopAll(running, database, namespace),
    };
  } catch (e) {
    await stopAll(running, database, namespace);
    throw e;
  }
};

const stopAll = async (running: Stoppable[], database: TestDatabase, namespace: string) => {
  for (const service of running.reverse()) await service.stop().catch(() => {});
  await deleteStream(namespace);
  await database.drop();
};

export const deleteStream = async (namespace: string): Promise<void> => {
  const nc = await connect({ servers: natsUrl() });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(subjectsFor(namespace).eventStream).catch(() => false);
  } finally {
    await nc.close();
  }
};
