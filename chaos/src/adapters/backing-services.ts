import { execFile } from "node:child_process";
import { connect as connectTcp } from "node:net";
import { promisify } from "node:util";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect as connectNats } from "@nats-io/transport-node";
import postgres from "postgres";

const run = promisify(execFile);
const sh = (script: string) => run("sh", ["-c", script], { timeout: 60_000 });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The machine's own PostgreSQL, Redis and NATS (the services every process here shares), and
 * how to stop, start and recognise each as ready again. These commands affect everything on
 * this machine, which is why the chaos run must not overlap with other test runs.
 */
export type BackingService = {
  name: "nats" | "redis" | "postgres";
  stop: () => Promise<void>;
  start: () => Promise<void>;
  ready: () => Promise<void>;
};

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connectTcp({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/** Retries `probe` until it succeeds or `timeoutMs` passes. */
export const waitUntil = async (
  what: string,
  probe: () => Promise<unknown>,
  timeoutMs = 60_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (e) {
      last = e;
    }
    await pause(100);
  }
  throw new Error(`${what} did not come back within ${timeoutMs} ms: ${String(last)}`);
};

const waitClosed = (port: number) =>
  waitUntil(`port ${port} to close`, async () => {
    if (await portOpen(port)) throw new Error("still listening");
  });

export const nats = (url: string): BackingService => ({
  name: "nats",
  stop: async () => {
    await sh("kill $(pidof nats-server)");
    await waitClosed(4222);
  },
  start: async () => {
    await sh(
      "start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- " +
        "-a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log",
    );
  },
  ready: () =>
    waitUntil("NATS with JetStream", async () => {
      const nc = await connectNats({ servers: url, reconnect: false, timeout: 1000 });
      try {
        await (await jetstreamManager(nc)).getAccountInfo();
      } finally {
        await nc.close();
      }
    }),
});

export const redis = (): BackingService => ({
  name: "redis",
  stop: async () => {
    await sh("redis-cli shutdown nosave || true");
    await waitClosed(6379);
  },
  start: async () => {
    await sh(
      'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" ' +
        "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log",
    );
  },
  ready: () =>
    waitUntil("Redis", async () => {
      const { stdout } = await run("redis-cli", ["ping"], { timeout: 2000 });
      if (stdout.trim() !== "PONG") throw new Error(stdout);
    }),
});

export const postgresServer = (adminUrl: string): BackingService => ({
  name: "postgres",
  stop: async () => {
    await sh("pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main stop");
    await waitClosed(5432);
  },
  start: async () => {
    await sh("pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
  },
  ready: () =>
    waitUntil("PostgreSQL", async () => {
      const sql = postgres(adminUrl, { max: 1, connect_timeout: 2, onnotice: () => {} });
      try {
        await sql`select 1`;
      } finally {
        await sql.end({ timeout: 1 });
      }
    }),
});
