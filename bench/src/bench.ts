import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { measureIdle, type IdleResult } from "./idle/capacity.js";
import { runLoad, type LoadPlan, type LoadResult } from "./load/load-run.js";
import { planConversations } from "./load/people.js";
import type { TargetKind } from "./load/protocol.js";
import type { BenchOptions } from "./options.js";
import { heldRateRatio, judgeGoals, withoutSamples, type BenchResults } from "./report/results.js";
import { writeResults, type WrittenFiles } from "./report/write.js";
import { say } from "./say.js";
import { ratio } from "./stats.js";
import { measureAppendRate, postgresCommitFloor } from "./store/append-rate.js";
import { measureCatchUp } from "./store/catch-up.js";
import { natsWriters, restWriters, type Writers } from "./store/writers.js";
import { runCleanups } from "./system/children.js";
import { cpuMonitor, type CpuGroups } from "./system/cpu-monitor.js";
import { hopBreakdown } from "./system/hops.js";
import { openFileLimit, pidsNamed } from "./system/procfs.js";
import { CpuProfile, summarizeProfile, type ProfileSummary } from "./system/profile.js";
import { InspectorSession, inspectorUrlOf, startCpuProfile } from "./system/inspector.js";
import { startRawRelay } from "./system/raw-relay-process.js";
import { metricSum, serviceProbe } from "./system/service-metrics.js";
import { roomViewsProbe } from "./system/views-probe.js";
import { measurePrimitives } from "./system/primitives.js";
import { waitUntilQuiet } from "./system/quiesce.js";
import { SERVICES, startStack, type BenchStack } from "./system/stack.js";

/** Shared infrastructure, followed in every step: it serves us, and shows others' load too. */
const infrastructure: CpuGroups = {
  postgres: () => pidsNamed("postgres"),
  "nats-server": () => pidsNamed("nats-server"),
  "redis-server": () => pidsNamed("redis-server"),
};

const stackGroups = (stack: BenchStack): CpuGroups => ({
  ...Object.fromEntries(SERVICES.map((name) => [name, () => [stack.services.get(name)!.pid]])),
  ...infrastructure,
});

const loadPlan = (
  options: BenchOptions,
  label: string,
  kind: TargetKind,
  url: string,
  secret: string,
): LoadPlan => ({
  label,
  kind,
  url,
  drivers: options.drivers,
  rooms: planConversations(secret, options.rooms, options.roomsPerAgent),
  steps: options.steps,
  alwaysMeasure: options.alwaysMeasure,
  stepMs: options.stepSeconds * 1000,
  drainMs: options.drainSeconds * 1000,
  warmup: { rate: options.warmup.rate, ms: options.warmup.seconds * 1000 },
  limits: options.limits,
  samplesPerStep: options.samplesPerStep,
});

const rawBaseline = async (options: BenchOptions): Promise<LoadResult> => {
  say("▶ load against the raw socket.io relay (baseline)");
  const relay = await startRawRelay();
  try {
    return await runLoad({
      ...loadPlan(options, "raw    ", "raw", relay.url, "raw-relay-checks-no-tokens-at-all"),
      cpuGroups: { "raw relay": () => [relay.pid], ...infrastructure },
    });
  } finally {
    await relay.stop();
  }
};

const idleCapacity = async (options: BenchOptions, stack: BenchStack) => {
  say(
    `▶ idle connections: up to ${options.idle.connections} sockets on one gateway, then on raw socket.io`,
  );
  const gateway = await stack.startExtra("gateway-service");
  let onGateway: IdleResult;
  try {
    onGateway = await measureIdle(
      {
        label: "gateway-service",
        url: gateway.url,
        pid: gateway.pid,
        secret: stack.jwtSecret,
        heapUsed: async () => metricSum(await gateway.metrics(), "nodejs_heap_size_used_bytes"),
        serverSockets: async () => metricSum(await gateway.metrics(), "gateway_connected_sockets"),
      },
      options.idle.connections,
      options.idle,
    );
  } finally {
    await gateway.stop();
  }
  say(
    `  gateway: ${onGateway.connected} sockets, ${(onGateway.rssPerConnection / 1024).toFixed(1)} KB RSS each`,
  );
  const relay = await startRawRelay();
  let onRaw: IdleResult;
  try {
    // The same number of sockets as the gateway could hold, so the two are comparable.
    onRaw = await measureIdle(
      {
        label: "raw socket.io",
        url: relay.url,
        pid: relay.pid,
        secret: null,
        heapUsed: async () => (await relay.memory()).heapUsed,
        serverSockets: async () => (await relay.memory()).sockets,
      },
      onGateway.connected,
      options.idle,
    );
  } finally {
    await relay.stop();
  }
  say(
    `  raw:     ${onRaw.connected} sockets, ${(onRaw.rssPerConnection / 1024).toFixed(1)} KB RSS each`,
  );
  return {
    raw: onRaw,
    gateway: onGateway,
    rssRatio: ratio(onGateway.rssPerConnection, onRaw.rssPerConnection),
    heapRatio: ratio(onGateway.heapPerConnection, onRaw.heapPerConnection),
  };
};

/**
 * A second pass with every service's inspector open: V8's profiler runs in each service for
 * exactly the measured step (not the setup), and the profiles are summarised and kept.
 */
const profilePass = async (options: BenchOptions, stack: BenchStack, heldRate: number) => {
  const dir = join(options.resultsDir, "tmp", "profiles");
  // The highest rate the product held (its cost per message when it keeps up) and the goal
  // rate (what happens when it does not).
  const rates = [...new Set([heldRate, options.profileRate].filter((r) => r > 0))].sort(
    (a, b) => a - b,
  );
  say(`▶ profiling pass at ${rates.join(" and ")} msg/s (profiles in ${dir})`);
  await stack.restart(() => ({ nodeFlags: ["--inspect=127.0.0.1:0"] }));
  const sessions = await Promise.all(
    SERVICES.map(async (name) => {
      const url = inspectorUrlOf(stack.services.get(name)!.output);
      if (!url) throw new Error(`${name} did not report its inspector address`);
      return { name, session: await InspectorSession.connect(url) };
    }),
  );
  const profiles: ProfileSummary[][] = [];
  try {
    const load = await runLoad({
      ...loadPlan(options, "profile", "system", stack.gateway().url, stack.jwtSecret),
      steps: rates,
      alwaysMeasure: rates,
      cpuGroups: stackGroups(stack),
      probe: {
        before: () => Promise.all(sessions.map((s) => startCpuProfile(s.session))),
        after: async (started) => {
          const running = started as Array<Awaited<ReturnType<typeof startCpuProfile>>>;
          const rate = rates[profiles.length]!;
          mkdirSync(dir, { recursive: true });
          const summaries: ProfileSummary[] = [];
          for (const [i, { name }] of sessions.entries()) {
            const profile = CpuProfile.parse(await running[i]!.stop());
            writeFileSync(join(dir, `${name}-${rate}.cpuprofile`), JSON.stringify(profile));
            summaries.push(summarizeProfile(name, profile));
          }
          profiles.push(summaries);
          return null;
        },
      },
    });
    return load.steps.map((step, i) => ({
      offeredRate: step.offeredRate,
      step,
      services: profiles[i] ?? [],
    }));
  } finally {
    sessions.forEach((s) => s.session.close());
    await stack.stop();
  }
};

const machine = () => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? "unknown",
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  openFileLimit: openFileLimit(process.pid) ?? null,
});

const automaticNotes = (r: Omit<BenchResults, "goals" | "notes">, ownStack: boolean): string[] => {
  const notes: string[] = [];
  // A stack the benchmark did not start is itself "elsewhere" while the product is loaded.
  const elsewhere = [r.load.raw, ownStack ? r.load.system : null].flatMap(
    (l) => l?.steps.map((s) => s.cpu?.elsewherePercent ?? 0) ?? [],
  );
  const busiest = Math.max(0, ...elsewhere);
  if (busiest > 20 || r.machine.loadAverageAtStart[0]! > 1) {
    notes.push(
      `The machine was shared: load average ${r.machine.loadAverageAtStart[0]} at the start, and processes outside the benchmark used up to ${busiest}% of a core during a load step ("everything else" in the CPU table; Postgres, NATS and Redis also served others). Numbers from a quiet machine would be better.`,
    );
  }
  for (const load of [r.load.raw, r.load.system]) {
    const busy = load?.steps.find((s) => s.driverEventLoopMax > 0.9);
    if (load && busy) {
      notes.push(
        `${load.label.trim()}: from ${busy.offeredRate} msg/s a load driver's event loop was over 90% busy, so the drivers themselves add latency there (send lag p99 ${busy.driverSendLagP99} ms).`,
      );
    }
  }
  const idle = r.idle?.gateway;
  if (idle?.cappedByOpenFiles) {
    notes.push(
      `Idle sockets were capped at ${idle.connected} by the gateway's open-file limit (${idle.openFileLimit}); this container's hard limit cannot be raised (no CAP_SYS_RESOURCE), and every socket is one file descriptor.`,
    );
  }
  if (ownStack) {
    notes.push(
      "Services run from their TypeScript sources through tsx, like the system tests; tsx compiles each module once at start, so steady-state numbers are those of the compiled JavaScript.",
    );
  }
  return notes;
};

export type BenchOutcome = { results: BenchResults; files: WrittenFiles };

/** Runs every phase the options ask for, then writes the results. Cleans up whatever happens. */
export const runBenchmark = async (options: BenchOptions): Promise<BenchOutcome> => {
  const startedAt = new Date().toISOString();
  const runs = (phase: Parameters<BenchOptions["skip"]["has"]>[0]) => !options.skip.has(phase);
  const partial: Omit<BenchResults, "goals" | "notes" | "finishedAt"> = {
    startedAt,
    quick: options.quick,
    machine: machine(),
    target: options.target ? options.target.url : "a stack started by the benchmark",
    settings: {
      steps: options.steps,
      stepSeconds: options.stepSeconds,
      drivers: options.drivers,
      rooms: options.rooms,
      roomsPerAgent: options.roomsPerAgent,
      limits: options.limits,
    },
    load: { raw: null, system: null, heldRateRatio: null },
    hops: null,
    appendRate: null,
    commitFloor: null,
    primitives: null,
    catchUp: null,
    idle: null,
    profile: null,
  };
  const notes: string[] = [];
  let writers: Writers | undefined;
  let failure: unknown;
  try {
    say(options.target ? `▶ targeting ${options.target.url}` : "▶ starting the stack as processes");
    const stack = options.target
      ? null
      : await startStack(options.roomsPerAgent, join(options.resultsDir, "tmp", "logs"));
    const url = options.target?.url ?? stack!.gateway().url;
    const secret = options.target?.jwtSecret ?? stack!.jwtSecret;
    // The stack starts first (a broken checkout fails fast) and idles while the relay runs.
    const raw = runs("raw") && runs("load") ? await rawBaseline(options) : null;
    partial.load.raw = raw && withoutSamples(raw);

    let system: LoadResult | null = null;
    if (runs("load")) {
      say("▶ load against the product");
      const views = stack ? await roomViewsProbe(stack.namespace) : null;
      try {
        system = await runLoad({
          ...loadPlan(options, "product", "system", url, secret),
          ...(stack && views
            ? { cpuGroups: stackGroups(stack), probe: serviceProbe(stack, views) }
            : {}),
        });
      } finally {
        await views?.close();
      }
      if (stack) partial.hops = await hopBreakdown(stack.namespace, system.samples);
    }
    if (stack && system?.steps.some((s) => !s.verdict.ok)) {
      say("▶ waiting for the product to work off the overload");
      const recoveredMs = await waitUntilQuiet(stack);
      notes.push(
        recoveredMs === null
          ? "After the overloaded steps the product was still busy 3 minutes later; the next phases ran regardless."
          : `After the overloaded steps the product needed ${(recoveredMs / 1000).toFixed(1)} s to work off its backlog (commands that had timed out at the gateway, events not yet pushed) before the next phase began.`,
      );
    }
    partial.load.system = system && withoutSamples(system);
    partial.load.heldRateRatio = heldRateRatio(raw, system);

    writers = stack ? await natsWriters(stack.namespace, secret) : restWriters(url, secret);
    if (runs("append")) {
      say("▶ event-store append rate");
      partial.appendRate = await measureAppendRate(
        writers,
        options.append.concurrency,
        options.append.seconds,
        stack ? cpuMonitor(stackGroups(stack)) : undefined,
      );
      for (const l of partial.appendRate.levels) {
        say(
          `  ${l.concurrency} in flight: ${l.perSecond} commits/s, p50 ${l.latency.p50} ms, p99 ${l.latency.p99} ms`,
        );
      }
      if (stack) {
        const seconds = options.quick ? 0.5 : 2;
        partial.commitFloor = await postgresCommitFloor(stack.database.url, seconds);
        partial.primitives = await measurePrimitives(stack.database.url, seconds);
      }
    }
    if (runs("catchup")) {
      say(`▶ catch-up of ${options.catchUp.missed} missed messages`);
      partial.catchUp = await measureCatchUp({ gatewayUrl: url, writers, ...options.catchUp });
      say(
        `  p50 ${partial.catchUp.ms.p50} ms, max ${partial.catchUp.ms.max} ms (${partial.catchUp.pages} pages)`,
      );
    }
    await writers.close();
    writers = undefined;

    if (runs("idle") && options.idle.connections > 0) {
      if (stack) partial.idle = await idleCapacity(options, stack);
      else
        notes.push(
          "Idle-connection memory needs the gateway's process; it is measured only on a stack the benchmark starts.",
        );
    }
    if (runs("profile") && options.profileRate > 0 && stack) {
      partial.profile = await profilePass(options, stack, system?.highestHeldRate ?? 0);
    }
  } catch (e) {
    // What was measured before the failure is still worth keeping; the run still fails.
    failure = e;
    notes.push(
      `The run stopped early: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`,
    );
  } finally {
    await writers?.close().catch(() => undefined);
    say("▶ stopping and cleaning up");
    await runCleanups(say);
  }
  const finished = { ...partial, finishedAt: new Date().toISOString() };
  const withNotes = {
    ...finished,
    notes: [...notes, ...automaticNotes(finished, !options.target)],
  };
  const results: BenchResults = { ...withNotes, goals: judgeGoals(withNotes) };
  const files = await writeResults(options.resultsDir, results, (e) =>
    say(`chart.png not written: ${e instanceof Error ? e.message : String(e)}`),
  );
  if (failure !== undefined) throw failure;
  return { results, files };
};
