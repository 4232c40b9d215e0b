import { describe, expect, it } from "vitest";
import { RoomLanes } from "../src/adapters/room-lanes.js";

/** A task that runs only when the test lets it finish, recording when it started and ended. */
const gate = () => {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("room lanes", () => {
  it("runs the tasks of one room one after another, in the order they came", async () => {
    // given three tasks of one room, the first still running
    const lanes = new RoomLanes(8);
    const log: string[] = [];
    const first = gate();
    lanes.add("r1", async () => {
      log.push("start 1");
      await first.opened;
      log.push("end 1");
    });
    lanes.add("r1", async () => void log.push("run 2"));
    lanes.add("r1", async () => void log.push("run 3"));
    await settle();
    expect(log).toEqual(["start 1"]);

    // when the first finishes
    first.open();
    await lanes.drained();

    // then the others follow in order
    expect(log).toEqual(["start 1", "end 1", "run 2", "run 3"]);
  });

  it("lets other rooms go while one room is busy", async () => {
    const lanes = new RoomLanes(8);
    const log: string[] = [];
    const slow = gate();
    lanes.add("r1", () => slow.opened);
    lanes.add("r2", async () => void log.push("r2"));
    lanes.add("r3", async () => void log.push("r3"));
    await settle();
    expect(log).toEqual(["r2", "r3"]);
    expect(lanes.size).toBe(1);
    slow.open();
    await lanes.drained();
    expect(lanes.size).toBe(0);
  });

  it("runs no more than its concurrency at once", async () => {
    const lanes = new RoomLanes(2);
    let running = 0;
    let most = 0;
    const gates = Array.from({ length: 6 }, gate);
    gates.forEach((g, i) =>
      lanes.add(`r${i}`, async () => {
        running += 1;
        most = Math.max(most, running);
        await g.opened;
        running -= 1;
      }),
    );
    await settle();
    expect(running).toBe(2);
    gates.forEach((g) => g.open());
    await lanes.drained();
    expect(most).toBe(2);
  });

  it("carries on with a room after one of its tasks threw", async () => {
    const lanes = new RoomLanes(1);
    const log: string[] = [];
    lanes.add("r1", () => Promise.reject(new Error("boom")));
    lanes.add("r1", async () => void log.push("after"));
    await lanes.drained();
    expect(log).toEqual(["after"]);
  });

  it("tells when a task finished, so more can be taken", async () => {
    let settled = 0;
    const lanes = new RoomLanes(4, () => (settled += 1));
    lanes.add("r1", async () => {});
    lanes.add("r2", async () => {});
    await lanes.drained();
    expect(settled).toBe(2);
  });
});
