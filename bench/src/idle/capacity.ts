import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "../stats.js";
import { adopt } from "../system/children.js";
import { openFileCount, openFileLimit, rssBytes } from "../system/procfs.js";
import { lifelineUrl } from "../system/service-process.js";
import type { HolderOpened, ToHolder } from "./holder.js";

const holderPath = join(dirname(fileURLToPath(import.meta.url)), "holder.ts");

/** A server under test: where to connect, its pid for /proc, and how to read its heap. */
export type IdleTarget = {
  label: string;
  url: string;
  pid: number;
  /** JWT secret for one customer token per socket; null when the server checks none. */
  secret: string | null;
  heapUsed: () => Promise<number>;
  /** How many sockets the server itself counts (a check on the holders' count). */
  serverSockets: () => Promise<number>;
};

export type IdleResult = {
  label: string;
  requested: number;
  /** What the server's open-file limit leaves room for, when that is below the request. */
  cappedByOpenFiles: boolean;
  openFileLimit: number | null;
  connected: number;
  serverCounted: number;
  failed: number;
  firstError: string | null;
  connectSeconds: number;
  rssBefore: number;
  rssAfter: number;
  heapBefore: number;
  heapAfter: number;
  rssPerConnection: number;
  heapPerConnection: number;
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Median of a few readings spaced out, since the garbage collector moves both numbers. */
const memoryOf = async (target: IdleTarget, samples: number) => {
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < samples; i++) {
    rss.push(rssBytes(target.pid) ?? 0);
    heap.push(await target.heapUsed());
    await pause(400);
  }
  return { rss: median(rss), heap: median(heap) };
};

const send = (child: ChildProcess, message: ToHolder) => child.send(message);

const opened = (child: ChildProcess): Promise<HolderOpened> =>
  new Promise((resolve, reject) => {
    child.once("message", (m: HolderOpened) => resolve(m));
    child.once("exit", (code) => reject(new Error(`socket holder exited (${code})`)));
  });

/**
 * Opens `requested` idle sockets to the target from `holders` processes, each using its own
 * pair of loopback source addresses (127.0.0.2, 127.0.0.3, ...) so no single address runs out
 * of ephemeral ports, and reads the target's memory before and after.
 */
export const measureIdle = async (
  target: IdleTarget,
  requested: number,
  settings: { holders: number; memorySamples: number; settleMs: number },
): Promise<IdleResult> => {
  const { holders } = settings;
  const limit = openFileLimit(target.pid) ?? null;
  // A socket is a file descriptor: what the process already holds plus some headroom for
  // its own work is all the limit leaves for clients.
  const room = limit === null ? requested : limit - openFileCount(target.pid) - 32;
  const count = Math.max(0, Math.min(requested, room));
  await pause(settings.settleMs);
  const before = await memoryOf(target, settings.memorySamples);
  const children = Array.from({ length: holders }, () =>
    adopt(
      fork(holderPath, [], {
        execArgv: ["--conditions=source", "--import", "tsx", "--import", lifelineUrl],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      }),
    ),
  );
  try {
    const prefix = `idle-${randomBytes(3).toString("hex")}`;
    const started = Date.now();
    const replies = await Promise.all(
      children.map((child, h) => {
        const reply = opened(child);
        send(child, {
          type: "open",
          url: target.url,
          count: Math.floor(count / holders) + (h < count % holders ? 1 : 0),
          secret: target.secret,
          idPrefix: `${prefix}-${h}`,
          localAddresses: [`127.0.0.${2 + 2 * h}`, `127.0.0.${3 + 2 * h}`],
          concurrency: 64,
        });
        return reply;
      }),
    );
    const connectSeconds = (Date.now() - started) / 1000;
    await pause(settings.settleMs);
    const after = await memoryOf(target, settings.memorySamples);
    const connected = replies.reduce((a, r) => a + r.connected, 0);
    const per = (a: number, b: number) => (connected > 0 ? Math.round((a - b) / connected) : 0);
    return {
      label: target.label,
      requested,
      cappedByOpenFiles: count < requested,
      openFileLimit: limit,
      connected,
      serverCounted: await target.serverSockets(),
      failed: replies.reduce((a, r) => a + r.failed, 0),
      firstError: replies.find((r) => r.firstError)?.firstError ?? null,
      connectSeconds: Math.round(connectSeconds * 10) / 10,
      rssBefore: before.rss,
      rssAfter: after.rss,
      heapBefore: before.heap,
      heapAfter: after.heap,
      rssPerConnection: per(after.rss, before.rss),
      heapPerConnection: per(after.heap, before.heap),
    };
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            send(child, { type: "close" });
            setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
          }),
      ),
    );
  }
};
