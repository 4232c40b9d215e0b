import { describe, expect, it } from "vitest";
import {
  ETA_SAMPLES,
  ETA_WINDOW_MS,
  estimatedWaitSeconds,
  meanAssignmentIntervalMs,
  recordAssignment,
  type AssignmentLog,
} from "../src/domain/eta.js";
import { at } from "./fixtures.js";

const logOf = (...times: number[]): AssignmentLog =>
  times.reduce<AssignmentLog>(
    (log, t, i) => recordAssignment(log, { eventId: `e${i}`, at: t }),
    [],
  );

describe("estimated wait", () => {
  it("is unknown with fewer than two recent assignments", () => {
    expect(meanAssignmentIntervalMs([], at(0))).toBeNull();
    expect(meanAssignmentIntervalMs(logOf(at(0)), at(1))).toBeNull();
    expect(estimatedWaitSeconds(1, null, 3)).toBeNull();
  });

  it("is position × the mean interval between recent assignments", () => {
    // given assignments 30 s, 30 s and 60 s apart: a mean of 40 s
    const log = logOf(at(0), at(30_000), at(60_000), at(120_000));
    const mean = meanAssignmentIntervalMs(log, at(121_000));
    expect(mean).toBe(40_000);
    // then the third in line waits about two minutes
    expect(estimatedWaitSeconds(3, mean, 2)).toBe(120);
  });

  it("only looks at the last 30 minutes", () => {
    const log = logOf(at(0), at(60_000), at(ETA_WINDOW_MS + 100_000), at(ETA_WINDOW_MS + 110_000));
    expect(meanAssignmentIntervalMs(log, at(ETA_WINDOW_MS + 110_000))).toBe(10_000);
    expect(meanAssignmentIntervalMs(log, at(3 * ETA_WINDOW_MS))).toBeNull();
  });

  it("keeps only the most recent assignments", () => {
    const times = Array.from({ length: ETA_SAMPLES + 10 }, (_, i) => at(i * 1000));
    expect(logOf(...times)).toHaveLength(ETA_SAMPLES);
    expect(logOf(...times).at(0)?.at).toBe(at(10_000));
  });

  it("counts a redelivered assignment once", () => {
    const log = recordAssignment(logOf(at(0)), { eventId: "e0", at: at(0) });
    expect(log).toHaveLength(1);
  });

  it("is unknown when nobody is online to serve the room", () => {
    expect(estimatedWaitSeconds(1, 10_000, 0)).toBeNull();
  });
});
