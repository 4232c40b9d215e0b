import { describe, expect, it } from "vitest";
import {
  backoffMs,
  isDelivered,
  nextStep,
  nominalDelayMs,
  type RetryPolicy,
} from "../src/domain/webhooks/retry.js";

const policy: RetryPolicy = {
  baseMs: 10_000,
  maxDelayMs: 3_600_000,
  maxAttempts: 15,
  maxAgeMs: 72 * 3_600_000,
};
const createdAt = new Date("2026-03-01T00:00:00.000Z");

describe("the retry schedule", () => {
  it("doubles from the base delay after each failure, up to the maximum", () => {
    const schedule = Array.from({ length: 12 }, (_, i) => nominalDelayMs(i + 1, policy) / 1000);
    expect(schedule).toEqual([10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600]);
  });

  it("jitters each delay between half and all of it", () => {
    expect(backoffMs(3, policy, () => 0)).toBe(20_000);
    expect(backoffMs(3, policy, () => 0.5)).toBe(30_000);
    expect(backoffMs(3, policy, () => 0.999_999)).toBe(40_000);
  });
});

describe("after an attempt", () => {
  const after = (over: Partial<Parameters<typeof nextStep>[0]>) =>
    nextStep({
      delivered: false,
      attempts: 1,
      createdAt,
      now: createdAt,
      policy,
      random: () => 1,
      ...over,
    });

  it("a 2xx is delivered, whatever came before", () => {
    expect(after({ delivered: true, attempts: 15 })).toEqual({ status: "delivered" });
  });

  it("a failure is tried again after the backoff", () => {
    const now = new Date(createdAt.getTime() + 60_000);
    expect(after({ attempts: 2, now })).toEqual({
      status: "pending",
      nextAttemptAt: new Date(now.getTime() + 20_000),
    });
  });

  it("the last allowed attempt failing fails the delivery", () => {
    expect(after({ attempts: 14 }).status).toBe("pending");
    expect(after({ attempts: 15 })).toEqual({ status: "failed" });
  });

  it("a failure whose next try would come after the maximum age fails the delivery", () => {
    const old = new Date(createdAt.getTime() + policy.maxAgeMs - 5_000);
    expect(after({ now: old })).toEqual({ status: "failed" });
    const younger = new Date(createdAt.getTime() + policy.maxAgeMs - 20_000);
    expect(after({ now: younger }).status).toBe("pending");
  });

  it("counts only 2xx answers as delivered", () => {
    expect([200, 204, 299].map(isDelivered)).toEqual([true, true, true]);
    expect([null, 199, 301, 304, 400, 410, 500, 503].map(isDelivered)).toEqual(
      Array(8).fill(false),
    );
  });
});
