import { describe, expect, it } from "vitest";
import { PerRoomQueue } from "../src/adapters/store/per-room-queue.js";
import { RoomCache } from "../src/adapters/store/room-cache.js";
import { initialState } from "../src/domain/room.js";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("PerRoomQueue", () => {
  it("runs tasks of one room one after another, in arrival order", async () => {
    const queue = new PerRoomQueue();
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run("room-a", async () => {
      order.push("first started");
      await gate.promise;
      order.push("first done");
    });
    const second = queue.run("room-a", async () => {
      order.push("second started");
    });
    await Promise.resolve();
    expect(order).toEqual(["first started"]);
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(["first started", "first done", "second started"]);
  });

  it("does not hold one room's tasks behind another room's", async () => {
    const queue = new PerRoomQueue();
    const gate = deferred();
    const slow = queue.run("room-a", () => gate.promise);
    await expect(queue.run("room-b", async () => "done")).resolves.toBe("done");
    gate.resolve();
    await slow;
  });

  it("keeps going after a task fails, and hands the failure to its caller", async () => {
    const queue = new PerRoomQueue();
    const failing = queue.run("room-a", async () => {
      throw new Error("refused");
    });
    const next = queue.run("room-a", async () => "next");
    await expect(failing).rejects.toThrow("refused");
    await expect(next).resolves.toBe("next");
  });
});

describe("RoomCache", () => {
  const room = (version: number) => ({ state: initialState(), version });

  it("never replaces a newer version with an older one", () => {
    const cache = new RoomCache();
    cache.set("a", room(5));
    cache.set("a", room(3));
    expect(cache.get("a")?.version).toBe(5);
    cache.set("a", room(6));
    expect(cache.get("a")?.version).toBe(6);
  });

  it("forgets the least recently used room when full", () => {
    const cache = new RoomCache(2);
    cache.set("a", room(1));
    cache.set("b", room(1));
    cache.get("a");
    cache.set("c", room(1));
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("c")).toBeDefined();
  });
});
