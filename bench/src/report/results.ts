import type { IdleResult } from "../idle/capacity.js";
import type { LoadResult, StepSummary } from "../load/load-run.js";
import { ratio } from "../stats.js";
import type { AppendRate, CommitFloor } from "../store/append-rate.js";
import type { CatchUp } from "../store/catch-up.js";
import type { HopBreakdown } from "../system/hops.js";
import type { Primitives } from "../system/primitives.js";
import type { ProfileSummary } from "../system/profile.js";

export type LoadReport = Omit<LoadResult, "samples">;

export type Goal = {
  goal: string;
  target: string;
  measured: string;
  /** null when the run did not measure it (a skipped phase, no step at that rate). */
  met: boolean | null;
};

export type BenchResults = {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    loadAverageAtStart: number[];
    openFileLimit: number | null;
  };
  target: string;
  settings: Record<string, unknown>;
  load: { raw: LoadReport | null; system: LoadReport | null; heldRateRatio: number | null };
  hops: HopBreakdown[] | null;
  appendRate: AppendRate | null;
  commitFloor: CommitFloor | null;
  /** One round trip to Postgres, NATS, JetStream and Redis, one at a time. */
  primitives: Primitives | null;
  catchUp: CatchUp | null;
  idle: {
    raw: IdleResult;
    gateway: IdleResult;
    rssRatio: number | null;
    heapRatio: number | null;
  } | null;
  /** CPU profiles of every service, one set per profiled rate. */
  profile: Array<{ offeredRate: number; step: StepSummary; services: ProfileSummary[] }> | null;
  goals: Goal[];
  notes: string[];
};

const stepAt = (load: LoadReport | null, rate: number) =>
  load?.steps.find((s) => s.offeredRate === rate);

const ms = (n: number) => `${n} ms`;

/** The goals, each with what this run measured. */
export const judgeGoals = (r: Omit<BenchResults, "goals">): Goal[] => {
  const at1000 = stepAt(r.load.system, 1000);
  const goals: Goal[] = [
    {
      goal: "End-to-end p50 at 1,000 msg/s",
      target: "≤ 8 ms",
      measured: at1000 ? ms(at1000.latency.all.p50) : "not measured",
      met: at1000 ? at1000.latency.all.p50 <= 8 : null,
    },
    {
      goal: "End-to-end p99 at 1,000 msg/s",
      target: "≤ 25 ms",
      measured: at1000 ? ms(at1000.latency.all.p99) : "not measured",
      met: at1000 ? at1000.latency.all.p99 <= 25 : null,
    },
  ];
  const { raw, system } = r.load;
  goals.push({
    goal: "Highest rate with p99 ≤ 100 ms, vs the raw relay",
    target: "≥ ¼ of raw",
    measured:
      raw && system
        ? `${system.highestHeldRate} vs ${raw.highestHeldRate} msg/s (${r.load.heldRateRatio ?? "n/a"}×)`
        : "not measured",
    met: raw && system && r.load.heldRateRatio !== null ? r.load.heldRateRatio >= 0.25 : null,
  });
  goals.push({
    goal: "Idle sockets held by one gateway",
    target: "20,000",
    measured: r.idle ? `${r.idle.gateway.connected}` : "not measured",
    met: r.idle ? r.idle.gateway.connected >= 20_000 : null,
  });
  goals.push({
    goal: "Memory per idle connection, gateway vs raw socket.io (RSS)",
    target: "≤ 1.5×",
    measured: r.idle
      ? `${kb(r.idle.gateway.rssPerConnection)} vs ${kb(r.idle.raw.rssPerConnection)} (${r.idle.rssRatio ?? "n/a"}×)`
      : "not measured",
    met: r.idle && r.idle.rssRatio !== null ? r.idle.rssRatio <= 1.5 : null,
  });
  const catchUp = r.catchUp;
  goals.push({
    goal: "Catch-up of 1,000 missed messages (median)",
    target: "≤ 500 ms",
    measured: catchUp
      ? `${ms(catchUp.ms.p50)} (max ${ms(catchUp.ms.max)}) for ${catchUp.missed} missed`
      : "not measured",
    met: catchUp && catchUp.missed >= 1000 ? catchUp.ms.p50 <= 500 : null,
  });
  return goals;
};

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export const heldRateRatio = (raw: LoadReport | null, system: LoadReport | null) =>
  raw && system ? ratio(system.highestHeldRate, raw.highestHeldRate, 4) : null;

export const withoutSamples = (load: LoadResult): LoadReport => {
  const { samples: _samples, ...rest } = load;
  return rest;
};
