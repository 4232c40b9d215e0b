import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ServiceProcess, type ServiceName } from "@support-chat/system-tests/src/processes.js";
import { deleteStream, stackEnv } from "@support-chat/system-tests/src/stack.js";
import { createTestDatabase, uniqueName, type TestDatabase } from "@support-chat/test-support";
import { startLoadBalancer, type LoadBalancer } from "./load-balancer.js";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const isReady = async (url: string): Promise<boolean> => {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
};

export type ClusterSettings = {
  agentMaxChats: number;
  /** The services' own log level (their output is kept for the report). */
  logLevel: string;
};

/** Every service of the product as a real OS process, behind one load-balanced address. */
export type Cluster = {
  namespace: string;
  database: TestDatabase;
  jwtSecret: string;
  /** Where clients connect: the balancer in front of both gateways. */
  url: string;
  gateways: ServiceProcess[];
  chat: ServiceProcess;
  notification: ServiceProcess;
  assignment: ServiceProcess;
  all: () => ServiceProcess[];
  /** Waits until every process answers /readyz; returns the names of those that did not. */
  waitReady: (timeoutMs: number) => Promise<string[]>;
  /** The last lines a process wrote (its crash, when it died). */
  tail: (name: string, lines: number) => string[];
  /** What a supervisor would do with a process that stays unhealthy: kill it and start it. */
  replace: (name: string) => Promise<void>;
  saveLogs: (dir: string) => Promise<string[]>;
  stop: () => Promise<void>;
};

/**
 * Tuned so a fault shows its effect within seconds: short NATS timeouts (a send into a dead
 * chat service fails fast and is retried), frequent presence heartbeats and routing sweeps.
 */
const chaosEnv = (settings: ClusterSettings): Record<string, string> => ({
  LOG_LEVEL: settings.logLevel,
  AGENT_MAX_CHATS: String(settings.agentMaxChats),
  PRESENCE_HEARTBEAT_MS: "1000",
  PRESENCE_TTL_MS: "5000",
  ROUTING_SWEEP_MS: "500",
  NATS_REQUEST_TIMEOUT_MS: "2000",
  RATE_LIMIT_MESSAGES_PER_SECOND: "20",
  NOTIFICATION_RETRY_DELAY_MS: "200",
  NOTIFICATION_RETRY_MAX_DELAY_MS: "2000",
  SHUTDOWN_TIMEOUT_MS: "3000",
});

export const startCluster = async (settings: ClusterSettings): Promise<Cluster> => {
  const namespace = uniqueName("chaos");
  const database = await createTestDatabase("chaos_");
  const env = stackEnv(database, namespace, chaosEnv(settings));
  const create = (name: ServiceName) => ServiceProcess.create(name, env);
  const chat = await create("chat-service");
  const notification = await create("notification-service");
  const assignment = await create("assignment-service");
  const gateways = [await create("gateway-service"), await create("gateway-service")];
  const all = () => [chat, notification, assignment, ...gateways];
  const names = [
    "chat-service",
    "notification-service",
    "assignment-service",
    "gateway-1",
    "gateway-2",
  ];
  const named = () => all().map((p, i) => ({ name: names[i]!, process: p }));
  let balancer: LoadBalancer | undefined;

  const stop = async () => {
    await balancer?.stop();
    await Promise.all(all().map((p) => p.stop().catch(() => undefined)));
    await deleteStream(namespace).catch(() => undefined);
    await database.drop().catch(() => undefined);
  };
  try {
    // The chat service migrates the database and defines the stream the others follow.
    await chat.start(60_000);
    await Promise.all([notification.start(60_000), assignment.start(60_000)]);
    await Promise.all(gateways.map((g) => g.start(60_000)));
    balancer = await startLoadBalancer(() => gateways.map((g) => g.port));
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    namespace,
    database,
    jwtSecret: env.JWT_SECRET,
    url: balancer.url,
    gateways,
    chat,
    notification,
    assignment,
    all,
    waitReady: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      const results = await Promise.all(
        named().map(async ({ name, process }) => {
          while (Date.now() < deadline) {
            if (await isReady(process.url)) return null;
            await pause(100);
          }
          return name;
        }),
      );
      return results.filter((n): n is string => n !== null);
    },
    tail: (name, lines) =>
      (
        named()
          .find((p) => p.name === name)
          ?.process.output.join("") ?? ""
      )
        .trimEnd()
        .split("\n")
        .slice(-lines),
    replace: async (name) => {
      const process = named().find((p) => p.name === name)?.process;
      if (!process) return;
      await process.kill();
      await process.start(60_000);
    },
    saveLogs: async (dir) => {
      await mkdir(dir, { recursive: true });
      return Promise.all(
        named().map(async ({ name, process }) => {
          const file = join(dir, `${name}.log`);
          await writeFile(file, process.output.join(""));
          return file;
        }),
      );
    },
    stop,
  };
};
