import { jetstream } from "@nats-io/jetstream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, waitFor, type World } from "./harness.js";

/**
 * `assignment_consumer_pending` is read from the replica's own JetStream consumer when
 * scraped: it counts what the stream holds that the replica has not been handed yet.
 */
let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

const pending = async (opsPort: number): Promise<number | undefined> => {
  const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("assignment_consumer_pending{"));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
};

describe("assignment_consumer_pending", () => {
  it("counts events waiting for the replica and falls to 0 once it reads them", async () => {
    // Without a chat service the replica cannot read the rooms, so it does not consume yet:
    // its consumer exists (created first, so nothing is missed) and the stream fills up.
    const assignment = await w.startAssignment();
    expect(await pending(assignment.opsPort)).toBe(0);

    // The backlog's content does not matter to the gauge; these are dropped as malformed
    // once read, so they leave no state behind.
    const js = jetstream(w.nc);
    for (let i = 0; i < 3; i++) {
      await js.publish(w.subjects.event("RoomOpened"), new TextEncoder().encode("{}"));
    }
    expect(await pending(assignment.opsPort)).toBe(3);
    expect(assignment.isReady()).toBe(false);

    await w.startChat();
    await waitFor("the replica to read the rooms and the backlog", async () => {
      return assignment.isReady() && (await pending(assignment.opsPort)) === 0;
    });
  });
});
