import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, startHarness, waitFor, type Harness } from "./harness.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const eventCount = async () => (await h.sql`select count(*)::int as n from events`)[0]!.n as number;

const relayHolders = async () =>
  (
    await h.sql`select count(*)::int as n from pg_locks
      where locktype = 'advisory' and granted and database = (
        select oid from pg_database where datname = current_database())`
  )[0]!.n as number;

describe("one relay across replicas", () => {
  it("is held by one replica at a time, and another takes over when it stops", async () => {
    const first = await h.start();
    const customer = h.as(people.customer(1));
    const room = await customer.command("openRoom", {});
    await waitFor("the first replica to publish", async () => {
      return (await h.streamMessageCount()) === (await eventCount());
    });
    const second = await h.start();
    // The first replica keeps the relay's lock between rounds; the second only asks for it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await relayHolders()).toBe(1);

    await h.stop(first);
    for (let i = 0; i < 5; i++) {
      await customer.command("postMessage", {
        roomId: room.id,
        clientMessageId: `after-${i}`,
        message: `message ${i} after the first replica stopped`,
      });
    }

    const total = await eventCount();
    await waitFor("the second replica to publish the rest", async () => {
      return (await h.streamMessageCount()) === total;
    });
    const published = await h.publishedEvents(total);
    expect(published.map((e) => e.metadata.streamPosition)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await relayHolders()).toBe(1);
    await h.stop(second);
  });
});
