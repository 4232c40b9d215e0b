import { fork, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { say } from "../say.js";
import {
  addCounts,
  highestHeldRate,
  judgeStep,
  summarize,
  type LatencySummary,
  type Limits,
  type Verdict,
} from "../stats.js";
import { adopt } from "../system/children.js";
import { cpuMonitor, type CpuGroups, type CpuUse } from "../system/cpu-monitor.js";
import { lifelineUrl } from "../system/service-process.js";
import type {
  DriverReady,
  DriverStepResult,
  FromDriver,
  HopSample,
  RoomPlan,
  TargetKind,
  ToDriver,
} from "./protocol.js";

const driverPath = join(dirname(fileURLToPath(import.meta.url)), "driver.ts");

export type LoadPlan = {
  label: string;
  kind: TargetKind;
  url: string;
  drivers: number;
  /** Every conversation; dealt round-robin to the drivers, each agent staying with one driver. */
  rooms: RoomPlan[];
  steps: number[];
  /**
   * Rates measured even after a step failed (the goals are stated at them): the run skips
   * ahead to each, once the backlog of the failed step has been delivered.
   */
  alwaysMeasure?: number[];
  stepMs: number;
  drainMs: number;
  warmup: { rate: number; ms: number };
  limits: Limits;
  /** Aim for about this many hop samples per step, spread over the step. */
  samplesPerStep: number;
  /** Processes whose CPU use is reported per step; the drivers are always added. */
  cpuGroups?: CpuGroups;
  /** Called around each step, e.g. to read the services' metrics. */
  probe?: { before: () => Promise<unknown>; after: (before: unknown) => Promise<unknown> };
};

export type StepSummary = {
  offeredRate: number;
  seconds: number;
  sent: number;
  acked: number;
  ackErrors: Record<string, number>;
  delivered: number;
  deliveredRate: number;
  lost: number;
  duplicates: number;
  late: number;
  disconnects: number;
  latency: { toAgent: LatencySummary; toCustomer: LatencySummary; all: LatencySummary };
  ack: LatencySummary;
  driverSendLagP99: number;
  driverEventLoopMax: number;
  pushesPerMessage: Record<string, number>;
  cpu?: CpuUse;
  service?: unknown;
  verdict: Verdict;
};

export type LoadResult = {
  label: string;
  kind: TargetKind;
  drivers: number;
  rooms: number;
  sockets: number;
  setupSeconds: number;
  steps: StepSummary[];
  highestHeldRate: number;
  samples: Array<HopSample & { offeredRate: number }>;
};

/** A forked driver and a way to wait for its next message of one type. */
class DriverHandle {
  private readonly inbox: FromDriver[] = [];
  private waiting: (() => void) | undefined;
  private exited = false;

  constructor(private readonly child: ChildProcess) {
    child.on("message", (m: FromDriver) => {
      this.inbox.push(m);
      this.waiting?.();
    });
    child.once("exit", () => {
      this.exited = true;
      this.waiting?.();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  send(message: ToDriver): void {
    this.child.send(message);
  }

  async next<T extends FromDriver["type"]>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromDriver, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = this.inbox.shift();
      if (message?.type === "failed") throw new Error(`load driver failed: ${message.message}`);
      if (message?.type === type) return message as Extract<FromDriver, { type: T }>;
      if (message) continue;
      if (this.exited) throw new Error("load driver exited unexpectedly");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`load driver sent no ${type} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.send({ type: "stop" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await gone;
    clearTimeout(timer);
  }
}

const forkDriver = (): DriverHandle =>
  new DriverHandle(
    adopt(
      fork(driverPath, [], {
        execArgv: ["--conditions=source", "--import", "tsx", "--import", lifelineUrl],
        serialization: "advanced",
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      }),
    ),
  );

/** Deals rooms to drivers so that every agent's rooms land in the same driver. */
const dealRooms = (rooms: RoomPlan[], drivers: number): RoomPlan[][] => {
  const agents = [...new Set(rooms.map((r) => r.agent.id))];
  const driverOf = new Map(agents.map((id, i) => [id, i % drivers]));
  const dealt: RoomPlan[][] = Array.from({ length: drivers }, () => []);
  for (const room of rooms) dealt[driverOf.get(room.agent.id)!]!.push(room);
  return dealt;
};

const combine = (
  offeredRate: number,
  seconds: number,
  results: DriverStepResult[],
  limits: Limits,
): StepSummary => {
  const toAgent = results.flatMap((r) => r.latencyMs.toAgent);
  const toCustomer = results.flatMap((r) => r.latencyMs.toCustomer);
  const all = summarize([...toAgent, ...toCustomer]);
  const sum = (f: (r: DriverStepResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const counts = {
    offeredRate,
    seconds,
    sent: sum((r) => r.sent),
    acked: sum((r) => r.acked),
    ackErrors: addCounts(results.map((r) => r.ackErrors)),
    delivered: sum((r) => r.delivered),
    deliveredInWindow: sum((r) => r.deliveredInWindow),
    duplicates: sum((r) => r.duplicates),
    disconnects: sum((r) => r.disconnects),
  };
  const pushes = addCounts(results.map((r) => r.pushes));
  return {
    offeredRate,
    seconds,
    sent: counts.sent,
    acked: counts.acked,
    ackErrors: counts.ackErrors,
    delivered: counts.delivered,
    deliveredRate: Math.round(counts.deliveredInWindow / seconds),
    lost: counts.sent - counts.delivered,
    duplicates: counts.duplicates,
    late: sum((r) => r.late),
    disconnects: counts.disconnects,
    latency: { toAgent: summarize(toAgent), toCustomer: summarize(toCustomer), all },
    ack: summarize(results.flatMap((r) => r.ackLatencyMs)),
    driverSendLagP99: summarize(results.flatMap((r) => r.sendLagMs)).p99,
    driverEventLoopMax: Math.max(...results.map((r) => r.eventLoopUtilization)),
    pushesPerMessage: Object.fromEntries(
      Object.entries(pushes).map(([event, n]) => [
        event,
        Math.round((n / Math.max(1, counts.sent)) * 100) / 100,
      ]),
    ),
    verdict: judgeStep(counts, all.p99, limits),
  };
};

const describeStep = (label: string, s: StepSummary): string => {
  const l = s.latency.all;
  const verdict = s.verdict.ok ? "ok" : `FAILS (${s.verdict.reasons.join("; ")})`;
  return (
    `  ${label} ${String(s.offeredRate).padStart(6)} msg/s offered → ${String(s.deliveredRate).padStart(6)}/s delivered` +
    `  p50 ${l.p50} ms  p99 ${l.p99} ms  max ${l.max} ms  [${verdict}]`
  );
};

/**
 * Forks the drivers, sets up their conversations, warms up, then offers each rate in turn for
 * a fixed time, stopping after the first rate that does not hold.
 */
export const runLoad = async (plan: LoadPlan): Promise<LoadResult> => {
  const dealt = dealRooms(plan.rooms, plan.drivers).filter((rooms) => rooms.length > 0);
  const drivers = dealt.map(() => forkDriver());
  const monitor = cpuMonitor({
    ...plan.cpuGroups,
    "load drivers": () => drivers.map((d) => d.pid),
  });
  try {
    const started = Date.now();
    dealt.forEach((rooms, driverId) =>
      drivers[driverId]!.send({ type: "setup", kind: plan.kind, url: plan.url, driverId, rooms }),
    );
    const ready: DriverReady[] = await Promise.all(drivers.map((d) => d.next("ready", 180_000)));
    const setupSeconds = (Date.now() - started) / 1000;
    const sockets = ready.reduce((a, r) => a + r.sockets, 0);
    say(
      `  ${plan.label}: ${plan.rooms.length} conversations, ${sockets} sockets in ${drivers.length} drivers (${setupSeconds.toFixed(1)} s)`,
    );

    const runStep = async (step: number, rate: number, durationMs: number, sampleEvery: number) => {
      drivers.forEach((d) =>
        d.send({
          type: "step",
          step,
          ratePerSecond: rate / drivers.length,
          durationMs,
          drainMs: plan.drainMs,
          sampleEvery,
        }),
      );
      return Promise.all(
        drivers.map((d) => d.next("stepResult", durationMs + plan.drainMs + 60_000)),
      );
    };

    await runStep(0, plan.warmup.rate, plan.warmup.ms, 0);
    const steps: StepSummary[] = [];
    const samples: LoadResult["samples"] = [];
    let failedAlready = false;
    let skipUntil: number | undefined;
    for (const [i, rate] of plan.steps.entries()) {
      if (skipUntil !== undefined && rate !== skipUntil) continue;
      const perDriver = (rate * plan.stepMs) / 1000 / drivers.length;
      const sampleEvery = Math.max(
        1,
        Math.floor((perDriver * drivers.length) / plan.samplesPerStep),
      );
      const cpuStart = monitor.snapshot();
      const probed = await plan.probe?.before();
      const results = await runStep(i + 1, rate, plan.stepMs, sampleEvery);
      const summary = combine(rate, plan.stepMs / 1000, results, plan.limits);
      summary.cpu = monitor.since(cpuStart);
      if (plan.probe) summary.service = await plan.probe.after(probed);
      steps.push(summary);
      samples.push(...results.flatMap((r) => r.samples.map((s) => ({ ...s, offeredRate: rate }))));
      say(describeStep(plan.label, summary));
      if (!summary.verdict.ok || failedAlready) {
        failedAlready = true;
        const next = plan.steps.slice(i + 1).find((r) => plan.alwaysMeasure?.includes(r));
        if (next === undefined) break;
        skipUntil = next;
        const settled = await Promise.all(
          drivers.map((d) => {
            d.send({ type: "settle", timeoutMs: 120_000 });
            return d.next("settled", 180_000);
          }),
        );
        const behind = settled.reduce((a, s) => a + s.undelivered, 0);
        say(`  ${plan.label} skipping ahead to ${next} msg/s (${behind} still undelivered)`);
      }
    }
    return {
      label: plan.label,
      kind: plan.kind,
      drivers: drivers.length,
      rooms: plan.rooms.length,
      sockets,
      setupSeconds,
      steps,
      highestHeldRate: highestHeldRate(
        steps.map((s) => ({ offeredRate: s.offeredRate, ok: s.verdict.ok })),
      ),
      samples,
    };
  } finally {
    await Promise.all(drivers.map((d) => d.stop()));
  }
};
