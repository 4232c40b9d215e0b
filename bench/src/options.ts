import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Limits } from "./stats.js";

const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..");

const rates = z
  .string()
  .transform((v) => v.split(",").map((s) => Number(s.trim())))
  .pipe(z.array(z.number().int().positive()).min(1));

const flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

const PHASES = ["raw", "load", "append", "catchup", "idle", "profile"] as const;
export type Phase = (typeof PHASES)[number];

/** Everything is optional: the defaults are the full run; BENCH_QUICK=1 is a few seconds a phase. */
const Env = z.object({
  BENCH_QUICK: flag.default(false),
  /** A running gateway (http://host:3001) instead of starting the stack here. */
  BENCH_TARGET: z.url().optional(),
  /** The target's JWT_SECRET, to sign the simulated users' tokens. */
  BENCH_JWT_SECRET: z.string().min(32).optional(),
  BENCH_STEPS: rates.optional(),
  BENCH_STEP_SECONDS: z.coerce.number().positive().optional(),
  BENCH_ROOMS: z.coerce.number().int().positive().optional(),
  /** At most 50, the capacity limit an agent can be given. */
  BENCH_ROOMS_PER_AGENT: z.coerce.number().int().min(1).max(50).optional(),
  BENCH_DRIVERS: z.coerce.number().int().min(1).max(16).optional(),
  BENCH_IDLE_CONNECTIONS: z.coerce.number().int().min(0).optional(),
  /** Offered rate of the profiling pass; 0 skips it. */
  BENCH_PROFILE_RATE: z.coerce.number().int().min(0).optional(),
  /** Comma-separated phases to leave out: raw, load, append, catchup, idle, profile. */
  BENCH_SKIP: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(PHASES)))
    .optional(),
  BENCH_RESULTS_DIR: z.string().min(1).optional(),
});

export type BenchOptions = {
  quick: boolean;
  target: { url: string; jwtSecret: string } | null;
  steps: number[];
  /** Offered even after a failed step, because the goals are stated at these rates. */
  alwaysMeasure: number[];
  stepSeconds: number;
  drainSeconds: number;
  warmup: { rate: number; seconds: number };
  drivers: number;
  rooms: number;
  roomsPerAgent: number;
  samplesPerStep: number;
  limits: Limits;
  idle: { connections: number; holders: number; memorySamples: number; settleMs: number };
  append: { concurrency: number[]; seconds: number };
  catchUp: { seen: number; missed: number; runs: number };
  profileRate: number;
  skip: ReadonlySet<Phase>;
  resultsDir: string;
};

export const loadOptions = (env: NodeJS.ProcessEnv = process.env): BenchOptions => {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid benchmark settings:\n${problems.join("\n")}`);
  }
  const e = parsed.data;
  if (e.BENCH_TARGET && !e.BENCH_JWT_SECRET) {
    throw new Error("BENCH_TARGET needs BENCH_JWT_SECRET (the target's JWT_SECRET) to sign tokens");
  }
  const quick = e.BENCH_QUICK;
  return {
    quick,
    target: e.BENCH_TARGET ? { url: e.BENCH_TARGET, jwtSecret: e.BENCH_JWT_SECRET! } : null,
    steps:
      e.BENCH_STEPS ??
      (quick
        ? [100]
        : [
            100, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000, 16000,
            24000, 32000,
          ]),
    alwaysMeasure: quick ? [] : [1000],
    stepSeconds: e.BENCH_STEP_SECONDS ?? (quick ? 2 : 8),
    // A drain ends as soon as every message has arrived; quick mode waits longer for stragglers
    // because its test asserts that nothing is lost, even on a busy machine.
    drainSeconds: quick ? 10 : 3,
    warmup: quick ? { rate: 50, seconds: 1 } : { rate: 200, seconds: 3 },
    drivers: e.BENCH_DRIVERS ?? 2,
    rooms: e.BENCH_ROOMS ?? (quick ? 20 : 200),
    roomsPerAgent: e.BENCH_ROOMS_PER_AGENT ?? (quick ? 5 : 25),
    samplesPerStep: quick ? 100 : 2000,
    limits: { p99Ms: 100, deliveryFloor: 0.95 },
    idle: {
      connections: e.BENCH_IDLE_CONNECTIONS ?? (quick ? 400 : 20_000),
      holders: quick ? 2 : 4,
      memorySamples: quick ? 2 : 5,
      settleMs: quick ? 1000 : 3000,
    },
    append: quick
      ? { concurrency: [16], seconds: 2 }
      : { concurrency: [1, 8, 32, 128], seconds: 6 },
    catchUp: { seen: 50, missed: quick ? 200 : 1000, runs: quick ? 2 : 7 },
    profileRate: e.BENCH_PROFILE_RATE ?? (quick ? 0 : 1000),
    skip: new Set(e.BENCH_SKIP ?? []),
    resultsDir: resolve(e.BENCH_RESULTS_DIR ?? join(benchDir, "results")),
  };
};
