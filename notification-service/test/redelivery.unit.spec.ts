import { describe, expect, it } from "vitest";
import { retryDelayMs, RoomHolds } from "../src/domain/redelivery.js";

describe("retry delay", () => {
  it("doubles from the base delay with each delivery", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 500, 60_000))).toEqual([500, 1000, 2000, 4000]);
  });

  it("never exceeds the maximum, however many deliveries", () => {
    expect(retryDelayMs(12, 500, 30_000)).toBe(30_000);
    expect(retryDelayMs(10_000, 500, 30_000)).toBe(30_000);
  });

  it("treats a missing or odd delivery count as the first attempt", () => {
    expect(retryDelayMs(0, 500, 60_000)).toBe(500);
    expect(retryDelayMs(-3, 500, 60_000)).toBe(500);
  });
});

describe("room holds", () => {
  const holds = () => new RoomHolds({ graceMs: 1000, recheckMs: 50 });

  it("lets events of a room without trouble go at once", () => {
    expect(holds().waitMs("r1", 10, 0)).toBe(0);
  });

  it("holds a room's later events until its failed event is retried", () => {
    // given event 10 of r1 failed at t=0 and comes back at t=500
    const h = holds();
    h.hold("r1", 10, 0, 500);
    // when a later event of r1 arrives at t=100
    // then it waits for the same moment
    expect(h.waitMs("r1", 11, 100)).toBe(400);
  });

  it("does not hold the failed event itself, nor other rooms", () => {
    const h = holds();
    h.hold("r1", 10, 0, 500);
    expect(h.waitMs("r1", 10, 100)).toBe(0);
    expect(h.waitMs("r2", 11, 100)).toBe(0);
  });

  it("keeps later events waiting past the retry time until the failed event went through", () => {
    // given the retry time has passed but event 10 has not come back yet
    const h = holds();
    h.hold("r1", 10, 0, 500);
    // then event 11 looks again shortly
    expect(h.waitMs("r1", 11, 600)).toBe(50);
    // when event 10 goes through
    h.release("r1", 10);
    // then event 11 may go
    expect(h.waitMs("r1", 11, 610)).toBe(0);
  });

  it("gives up waiting after the grace period, in case another replica took the failed event", () => {
    const h = holds();
    h.hold("r1", 10, 0, 500);
    expect(h.waitMs("r1", 11, 1500)).toBe(0);
    expect(h.waitMs("r1", 12, 1501)).toBe(0);
  });

  it("moves the hold to an earlier event that fails, and extends it", () => {
    const h = holds();
    h.hold("r1", 10, 0, 500);
    h.hold("r1", 8, 0, 900);
    expect(h.waitMs("r1", 9, 100)).toBe(800);
    expect(h.waitMs("r1", 10, 100)).toBe(800);
  });

  it("is not released by an earlier event going through", () => {
    const h = holds();
    h.hold("r1", 10, 0, 500);
    h.release("r1", 9);
    expect(h.waitMs("r1", 11, 100)).toBe(400);
  });

  it("forgets holds of quiet rooms once many rooms are held", () => {
    // given 300 rooms held long ago, never heard of again
    const h = holds();
    for (let i = 0; i < 300; i++) h.hold(`old-${i}`, 1, 0, 500);
    // when another room fails much later
    h.hold("r1", 10, 10_000, 10_500);
    // then the stale holds are gone and the new one stands
    expect(h.size).toBe(1);
    expect(h.waitMs("r1", 11, 10_100)).toBe(400);
  });
});
