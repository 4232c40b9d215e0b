import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { Redis } from "ioredis";
import { subjectsFor } from "@support-chat/contracts";
import {
  createTestDatabase,
  natsUrl,
  redisUrl,
  uniqueName,
  type TestDatabase,
} from "@support-chat/test-support";
import { onCleanup } from "./children.js";
import { ServiceProcess, type ServiceName, type ServiceOptions } from "./service-process.js";

/** Start order: the chat service owns the schema and the stream, the gateway comes last. */
export const SERVICES: readonly ServiceName[] = [
  "chat-service",
  "notification-service",
  "assignment-service",
  "gateway-service",
];

export type BenchStack = {
  namespace: string;
  database: TestDatabase;
  jwtSecret: string;
  env: Record<string, string>;
  services: Map<ServiceName, ServiceProcess>;
  gateway: () => ServiceProcess;
  /** Starts one more process of a service with the stack's settings (not kept in `services`). */
  startExtra: (name: ServiceName, options?: ServiceOptions) => Promise<ServiceProcess>;
  /** Stops every service (SIGTERM) and starts them again, e.g. each with a profiler attached. */
  restart: (optionsFor: (name: ServiceName) => ServiceOptions) => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * Production-like settings: production mode, warnings only, tokens signed by the storefront
 * (no dev login). The per-user message limit is raised so that a few hundred simulated users
 * can offer thousands of messages per second, and agents may hold as many rooms as the
 * benchmark gives them; everything else keeps its default.
 */
const stackEnv = (
  database: TestDatabase,
  namespace: string,
  jwtSecret: string,
  agentMaxChats: number,
) => ({
  NODE_ENV: "production",
  LOG_LEVEL: "warn",
  NATS_URL: natsUrl(),
  NATS_NAMESPACE: namespace,
  DATABASE_URL: database.url,
  REDIS_URL: redisUrl(),
  SOCKET_IO_REDIS_KEY: `${namespace}-socket.io`,
  JWT_SECRET: jwtSecret,
  AUTH_DEV_LOGIN: "false",
  CORS_ORIGIN: "*",
  RATE_LIMIT_MESSAGES_PER_SECOND: "100000",
  RATE_LIMIT_MESSAGE_BURST: "1000",
  // Each simulated agent serves more rooms than a person would, so fewer agent sockets carry
  // the load (every agent socket also receives every room's update).
  AGENT_MAX_CHATS: String(agentMaxChats),
});

const deleteStream = async (namespace: string) => {
  const nc = await connect({ servers: natsUrl() });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(subjectsFor(namespace).eventStream).catch(() => false);
  } finally {
    await nc.close();
  }
};

/** Rate-limit counters and anything else the services keyed under the namespace. */
const deleteRedisKeys = async (namespace: string) => {
  const redis = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${namespace}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
};

/** Every service as its own process, on a database, NATS namespace and Redis keys of its own. */
export const startStack = async (
  agentMaxChats: number,
  /** Where each service's output goes when it stops (warnings and errors only). */
  logDir: string,
  options: ServiceOptions = {},
): Promise<BenchStack> => {
  const namespace = uniqueName("bench");
  const database = await createTestDatabase("bench_");
  onCleanup("database", () => database.drop());
  onCleanup("event stream", () => deleteStream(namespace));
  onCleanup("redis keys", () => deleteRedisKeys(namespace));
  rmSync(logDir, { recursive: true, force: true });
  const jwtSecret = `bench-${randomBytes(24).toString("hex")}`;
  const env = stackEnv(database, namespace, jwtSecret, agentMaxChats);
  const services = new Map<ServiceName, ServiceProcess>();
  const extras: ServiceProcess[] = [];

  const startAll = async (optionsFor: (name: ServiceName) => ServiceOptions) => {
    for (const name of SERVICES) {
      services.set(name, await ServiceProcess.start(name, env, optionsFor(name)));
    }
  };
  const stopAll = async () => {
    mkdirSync(logDir, { recursive: true });
    for (const service of [...extras.splice(0), ...[...services.values()].reverse()]) {
      const running = service.running;
      await service.stop();
      if (running) appendFileSync(join(logDir, `${service.name}.log`), service.output);
    }
  };
  onCleanup("services", stopAll);
  await startAll(() => options);

  return {
    namespace,
    database,
    jwtSecret,
    env,
    services,
    gateway: () => services.get("gateway-service")!,
    startExtra: async (name, with_ = {}) => {
      const service = await ServiceProcess.start(name, env, with_);
      extras.push(service);
      return service;
    },
    restart: async (optionsFor) => {
      await stopAll();
      await startAll(optionsFor);
    },
    stop: stopAll,
  };
};
