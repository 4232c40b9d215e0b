import { describe, expect, it } from "vitest";
import type { StepSummary } from "../src/load/load-run.js";
import { renderChart } from "../src/report/chart.js";
import { renderMarkdown } from "../src/report/markdown.js";
import { judgeGoals, type BenchResults, type LoadReport } from "../src/report/results.js";
import { summarize } from "../src/stats.js";

const step = (offeredRate: number, p50: number, p99: number, ok = true): StepSummary => {
  const latency = { ...summarize([p50, p99]), p50, p99 };
  return {
    offeredRate,
    seconds: 8,
    sent: offeredRate * 8,
    acked: offeredRate * 8,
    ackErrors: {},
    delivered: offeredRate * 8,
    deliveredRate: offeredRate,
    lost: 0,
    duplicates: 0,
    late: 0,
    disconnects: 0,
    latency: { toAgent: latency, toCustomer: latency, all: latency },
    ack: latency,
    driverSendLagP99: 0.5,
    driverEventLoopMax: 0.2,
    pushesPerMessage: { newMessage: 2, roomUpdated: 9 },
    verdict: ok ? { ok, reasons: [] } : { ok, reasons: ["p99 140 ms > 100 ms"] },
  };
};

const load = (label: string, steps: StepSummary[], held: number): LoadReport => ({
  label,
  kind: label === "raw" ? "raw" : "system",
  drivers: 2,
  rooms: 200,
  sockets: 208,
  setupSeconds: 3,
  steps,
  highestHeldRate: held,
});

const idle = (label: string, perConnection: number) => ({
  label,
  requested: 20_000,
  cappedByOpenFiles: true,
  openFileLimit: 20_000,
  connected: 19_950,
  serverCounted: 19_950,
  failed: 0,
  firstError: null,
  connectSeconds: 30,
  rssBefore: 80e6,
  rssAfter: 80e6 + perConnection * 19_950,
  heapBefore: 20e6,
  heapAfter: 20e6 + perConnection * 0.5 * 19_950,
  rssPerConnection: perConnection,
  heapPerConnection: perConnection / 2,
});

const results = (): Omit<BenchResults, "goals"> => ({
  startedAt: "2026-01-01T10:00:00.000Z",
  finishedAt: "2026-01-01T10:06:00.000Z",
  quick: false,
  machine: {
    cpus: 2,
    cpuModel: "Test CPU",
    memoryGb: 8,
    node: "v20",
    loadAverageAtStart: [0.1, 0.1, 0.1],
    openFileLimit: 20_000,
  },
  target: "a stack started by the benchmark",
  settings: {},
  load: {
    raw: load("raw", [step(250, 1, 3), step(1000, 1.2, 5), step(8000, 30, 150, false)], 1000),
    system: load(
      "product",
      [step(250, 6, 20), step(1000, 9, 60), step(2000, 50, 400, false)],
      1000,
    ),
    heldRateRatio: 1,
  },
  hops: [
    {
      offeredRate: 1000,
      samples: 100,
      sendToChatService: summarize([1, 2]),
      chatServiceToAck: summarize([3, 4]),
      chatServiceToStream: summarize([3, 5]),
      streamToReceived: summarize([2, 3]),
      endToEnd: summarize([8, 10]),
    },
  ],
  appendRate: null,
  commitFloor: null,
  primitives: { "Postgres: SELECT 1": summarize([0.2, 0.3]) },
  catchUp: {
    missed: 1000,
    pageSize: 200,
    pages: 5,
    bytes: 300_000,
    runs: 5,
    ms: summarize([120, 140]),
  },
  idle: {
    raw: idle("raw", 30_000),
    gateway: idle("gateway", 40_000),
    rssRatio: 1.33,
    heapRatio: 1.33,
  },
  profile: null,
  notes: ["a note"],
});

describe("goals", () => {
  it("judges each goal from what was measured, and says when something was not", () => {
    const goals = judgeGoals(results());
    const byName = Object.fromEntries(goals.map((g) => [g.goal, g]));
    expect(byName["End-to-end p50 at 1,000 msg/s"]).toMatchObject({ measured: "9 ms", met: false });
    expect(byName["End-to-end p99 at 1,000 msg/s"]).toMatchObject({
      measured: "60 ms",
      met: false,
    });
    expect(byName["Highest rate with p99 ≤ 100 ms, vs the raw relay"]?.met).toBe(true);
    expect(byName["Idle sockets held by one gateway"]).toMatchObject({
      measured: "19950",
      met: false,
    });
    expect(byName["Memory per idle connection, gateway vs raw socket.io (RSS)"]?.met).toBe(true);
    expect(byName["Catch-up of 1,000 missed messages (median)"]?.met).toBe(true);

    const withoutLoad = { ...results(), load: { raw: null, system: null, heldRateRatio: null } };
    expect(judgeGoals(withoutLoad)[0]).toMatchObject({ measured: "not measured", met: null });
  });

  it("does not call a catch-up of fewer than 1,000 messages a met goal", () => {
    const small = { ...results(), catchUp: { ...results().catchUp!, missed: 200 } };
    const goal = judgeGoals(small).find((g) => g.goal.startsWith("Catch-up"));
    expect(goal?.met).toBeNull();
  });
});

describe("report", () => {
  it("writes every section with the measured numbers", () => {
    const r = results();
    const md = renderMarkdown({ ...r, goals: judgeGoals(r) });
    expect(md).toContain("## Goals");
    expect(md).toContain("| 1000 | 1000 | 9 / 60 / 60 | 9 / 60 / 60 |");
    expect(md).toContain("**failed**: p99 140 ms > 100 ms");
    expect(md).toContain("**System / raw, highest rate held: 1×.**");
    expect(md).toContain("## Where a message's time goes");
    expect(md).toContain("19950 (of 20000; open-file limit 20000)");
    expect(md).toContain("- a note");
    expect(md).toContain("| Postgres: SELECT 1 | 0.2 | 0.3 | 4000 |");
    expect(md).not.toMatch(/\n{3}/);
  });

  it("draws a chart with both loads, the hop bars and the memory bars", () => {
    const r = results();
    const svg = renderChart({ ...r, goals: judgeGoals(r) });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("product holds 1000/s");
    expect(svg).toContain("raw holds 1000/s");
    expect(svg).toContain("gateway 39.1");
    expect(svg).not.toContain("NaN");
  });
});
