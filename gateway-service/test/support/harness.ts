import { randomBytes, randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import jwt from "jsonwebtoken";
import postgres from "postgres";
import { subjectsFor, type Role } from "@support-chat/contracts";
import {
  AssignmentConfig,
  startAssignmentService,
  type AssignmentService,
} from "@support-chat/assignment-service";
import { ChatServiceConfig, startChatService, type ChatService } from "@support-chat/chat-service";
import { createLogger, loadConfig } from "@support-chat/service-kit";
import {
  createTestDatabase,
  natsUrl,
  redisUrl,
  uniqueName,
  type TestDatabase,
} from "@support-chat/test-support";
import { GatewayEnv, startGatewayService, type GatewayHandle } from "../../src/service.js";

const level = process.env["TEST_LOG_LEVEL"] ?? "silent";

export type Person = { id: string; name: string; role: Role; token: string };

/**
 * The real chat and assignment services and N gateways in this process, with a database, NATS
 * namespace, socket.io Redis key and rate-limit prefix of their own, so test files never meet.
 * Routing is manual unless a test asks otherwise: agents claim rooms themselves, so what a test
 * sees assigned is what it assigned.
 */
export type Harness = {
  namespace: string;
  secret: string;
  env: Record<string, string>;
  gateways: GatewayHandle[];
  assignment: AssignmentService;
  /** The first gateway's base URL. */
  url: string;
  sql: postgres.Sql;
  /** A signed-in user with a fresh id (unless one is given), as the storefront would issue. */
  person(role: Role, name?: string, id?: string): Person;
  /** Rows in the event log: what every "changes nothing" assertion compares. */
  eventCount(): Promise<number>;
  /** Another gateway on the same backends, with extra configuration. */
  startGateway(env?: Record<string, string>): Promise<GatewayHandle>;
  stop(): Promise<void>;
};

export const gatewayEnv = (
  namespace: string,
  secret: string,
  extra: Record<string, string> = {},
) => ({
  NODE_ENV: "test",
  LOG_LEVEL: level,
  NATS_URL: natsUrl(),
  NATS_NAMESPACE: namespace,
  REDIS_URL: redisUrl(),
  SOCKET_IO_REDIS_KEY: `${namespace}-socket.io`,
  JWT_SECRET: secret,
  GATEWAY_PORT: "0",
  CORS_ORIGIN: "http://shop.test",
  PRESENCE_HEARTBEAT_MS: "60000",
  ...extra,
});

export const signToken = (
  secret: string,
  claims: Record<string, unknown>,
  expiresIn: number = 3600,
): string => jwt.sign(claims, secret, { algorithm: "HS256", expiresIn });

export const startHarness = async (
  opts: {
    gateways?: number;
    env?: Record<string, string>;
    /** The chat service's clock, for conversations scripted at known times. */
    chatClock?: () => Date;
  } = {},
): Promise<Harness> => {
  const namespace = uniqueName("g");
  const secret = `gateway-test-${randomBytes(16).toString("hex")}`;
  const database: TestDatabase = await createTestDatabase("gw_");
  const env = gatewayEnv(namespace, secret, {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "4",
    CHAT_OPS_PORT: "0",
    ASSIGNMENT_OPS_PORT: "0",
    ROUTING_POLICY: "manual",
    // Gateways here beat once a minute; agents stay online until their sockets close.
    PRESENCE_TTL_MS: "600000",
    ...opts.env,
  });
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  const gateways: GatewayHandle[] = [];
  let chat: ChatService | undefined;
  let assignment: AssignmentService | undefined;
  const stop = async () => {
    for (const gateway of gateways.splice(0)) await gateway.stop();
    await assignment?.stop();
    await chat?.stop();
    await sql.end();
    await deleteStream(namespace);
    await database.drop();
  };
  const startGateway = async (extra: Record<string, string> = {}) => {
    const config = loadConfig(GatewayEnv, { ...env, ...extra });
    const gateway = await startGatewayService(config, createLogger("gateway-service", level));
    gateways.push(gateway);
    return gateway;
  };
  try {
    chat = await startChatService(
      loadConfig(ChatServiceConfig, env),
      createLogger("chat-service", level),
      opts.chatClock,
    );
    assignment = await startAssignmentService(
      loadConfig(AssignmentConfig, env),
      createLogger("assignment-service", level),
    );
    await untilReady(assignment);
    for (let i = 0; i < (opts.gateways ?? 1); i++) await startGateway();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    namespace,
    secret,
    env,
    gateways,
    assignment,
    url: gateways[0]!.url,
    sql,
    person: (
      role,
      name = `${role} ${randomUUID().slice(0, 6)}`,
      id = `${role}-${randomUUID()}`,
    ) => ({
      id,
      name,
      role,
      token: signToken(secret, { sub: id, name, role }),
    }),
    eventCount: async () => {
      const [row] = await sql<[{ count: number }]>`select count(*)::int as count from events`;
      return row.count;
    },
    startGateway,
    stop,
  };
};

/** Its queries answer once it has read the rooms; tests should not race that. */
const untilReady = async (assignment: AssignmentService): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!assignment.isReady()) {
    if (Date.now() > deadline) throw new Error("the assignment service did not get ready");
    await new Promise((r) => setTimeout(r, 25));
  }
};

const deleteStream = async (namespace: string): Promise<void> => {
  const nc = await connect({ servers: natsUrl() });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(subjectsFor(namespace).eventStream).catch(() => false);
  } finally {
    await nc.close();
  }
};
