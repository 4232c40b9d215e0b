import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { summarize, type LatencySummary } from "../stats.js";
import type { CpuMonitor, CpuUse } from "../system/cpu-monitor.js";
import type { Writers } from "./writers.js";

export type AppendLevel = {
  /** Commands in flight at once (each writer its own room, so rooms never queue on each other). */
  concurrency: number;
  seconds: number;
  committed: number;
  perSecond: number;
  errors: number;
  latency: LatencySummary;
  /** CPU per process while this level ran (% of one core), when followed. */
  cpu?: CpuUse;
};

export type AppendRate = { path: "nats" | "rest"; levels: AppendLevel[] };

/**
 * Closed loop: `concurrency` writers, each posting to its own room as fast as its replies come
 * back, for a fixed time. Every reply means one durable commit (a MessagePosted event and its
 * projections in one transaction).
 */
export const measureAppendRate = async (
  writers: Writers,
  levels: number[],
  seconds: number,
  monitor?: CpuMonitor,
): Promise<AppendRate> => {
  const pool = await writers.open(Math.max(...levels));
  const results: AppendLevel[] = [];
  for (const concurrency of levels) {
    const latencies: number[] = [];
    let errors = 0;
    const cpuStart = monitor?.snapshot();
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      pool.slice(0, concurrency).map(async (writer, w) => {
        for (let n = 0; performance.now() < deadline; n++) {
          const t = performance.now();
          try {
            await writer.post(`append-${concurrency}-${w}-${n}`, `append rate probe ${n}`);
            latencies.push(performance.now() - t);
          } catch {
            errors++;
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    results.push({
      concurrency,
      seconds: Math.round(elapsed * 100) / 100,
      committed: latencies.length,
      perSecond: Math.round(latencies.length / elapsed),
      errors,
      latency: summarize(latencies),
      ...(monitor && cpuStart ? { cpu: monitor.since(cpuStart) } : {}),
    });
  }
  return { path: writers.path, levels: results };
};

export type CommitFloor = {
  settings: Record<string, string>;
  /** Single-row INSERT commits per second straight to Postgres: what durability costs here. */
  singleConnectionPerSecond: number;
  tenConnectionsPerSecond: number;
};

/** Postgres's own commit rate on this machine, the ceiling under any event store. */
export const postgresCommitFloor = async (
  databaseUrl: string,
  seconds: number,
): Promise<CommitFloor> => {
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => undefined });
  try {
    const settings: Record<string, string> = {};
    for (const name of ["synchronous_commit", "fsync", "wal_sync_method", "commit_delay"]) {
      const [row] = await sql.unsafe<Array<Record<string, string>>>(`show ${name}`);
      settings[name] = String(row?.[name] ?? "?");
    }
    await sql`create table if not exists bench_commit_floor (id bigserial primary key, note text)`;
    const run = async (connections: number) => {
      const deadline = performance.now() + seconds * 1000;
      let commits = 0;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (performance.now() < deadline) {
            await sql`insert into bench_commit_floor (note) values ('floor')`;
            commits++;
          }
        }),
      );
      return Math.round(commits / seconds);
    };
    return {
      settings,
      singleConnectionPerSecond: await run(1),
      tenConnectionsPerSecond: await run(10),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
};
