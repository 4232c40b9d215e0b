import { describe, expect, it } from "vitest";
import {
  addCounts,
  highestHeldRate,
  judgeStep,
  median,
  percentile,
  ratio,
  summarize,
  type StepCounts,
} from "../src/stats.js";

const limits = { p99Ms: 100, deliveryFloor: 0.95 };

const healthy: StepCounts = {
  offeredRate: 1000,
  seconds: 8,
  sent: 8000,
  acked: 8000,
  ackErrors: {},
  delivered: 8000,
  deliveredInWindow: 7990,
  duplicates: 0,
  disconnects: 0,
};

describe("percentiles", () => {
  it("uses the nearest rank, so p99 of 100 values is the 99th smallest", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it("summarizes unsorted values and an empty list without NaN", () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ count: 5, p50: 3, p99: 5, max: 5, mean: 3 });
    expect(summarize([])).toEqual({ count: 0, p50: 0, p99: 0, max: 0, mean: 0 });
  });

  it("takes the median of memory readings regardless of order", () => {
    expect(median([30, 10, 20])).toBe(20);
  });
});

describe("judging a step", () => {
  it("holds when p99 is within the limit and delivery keeps up with nothing lost", () => {
    expect(judgeStep(healthy, 40, limits)).toEqual({ ok: true, reasons: [] });
  });

  it("fails on a p99 over the limit", () => {
    const verdict = judgeStep(healthy, 180, limits);
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons).toEqual(["p99 180 ms > 100 ms"]);
  });

  it("fails when deliveries during the step fall below the floor of the offered rate", () => {
    const verdict = judgeStep({ ...healthy, deliveredInWindow: 6000 }, 40, limits);
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons[0]).toContain("delivery fell behind: 750/s of 1000/s offered");
  });

  it("names lost, doubled, refused and dropped messages", () => {
    const verdict = judgeStep(
      {
        ...healthy,
        delivered: 7990,
        duplicates: 2,
        ackErrors: { RATE_LIMITED: 3 },
        disconnects: 1,
      },
      40,
      limits,
    );
    expect(verdict.reasons).toEqual([
      "10 not delivered by the end of the drain",
      "error replies: RATE_LIMITED×3",
      "2 delivered twice",
      "1 sockets dropped",
    ]);
  });
});

describe("highest held rate", () => {
  it("is the last rate of the unbroken run of held steps from the first", () => {
    const steps = [
      { offeredRate: 250, ok: true },
      { offeredRate: 500, ok: true },
      { offeredRate: 1000, ok: false },
      { offeredRate: 2000, ok: true },
    ];
    expect(highestHeldRate(steps)).toBe(500);
  });

  it("is zero when the first step already fails", () => {
    expect(highestHeldRate([{ offeredRate: 250, ok: false }])).toBe(0);
  });
});

describe("ratios and counts", () => {
  it("rounds ratios and refuses a zero denominator", () => {
    expect(ratio(1, 3)).toBe(0.33);
    expect(ratio(5, 0)).toBeNull();
  });

  it("adds per-key counts across drivers", () => {
    expect(
      addCounts([
        { a: 1, b: 2 },
        { b: 3, c: 4 },
      ]),
    ).toEqual({ a: 1, b: 5, c: 4 });
  });
});
