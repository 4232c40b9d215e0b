import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatService } from "../src/service.js";
import { metricValue, people, startHarness, waitFor, type Harness } from "./harness.js";

let h: Harness;
let relaying: ChatService;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const eventIds = async () =>
  (await h.sql`select event_id from events`).map((r) => r.event_id as string);

const checkpoint = async () =>
  (await h.sql`select last_position::int as position from relay_checkpoint`)[0]?.position as
    number | undefined;

describe("a crash between commit and publish", () => {
  it("only delays delivery: a service started later publishes everything committed", async () => {
    // Commands are answered and committed, but nothing publishes them (the relay is down).
    const withoutRelay = await h.start({ RELAY_ENABLED: "false" });
    for (let n = 1; n <= 3; n++) {
      const customer = h.as(people.customer(n));
      const room = await customer.command("openRoom", {});
      await customer.command("postMessage", {
        roomId: room.id,
        clientMessageId: "first",
        message: `hello from ${n}`,
      });
      await h.as(people.agent(n)).command("claimRoom", { roomId: room.id });
    }
    await h.stop(withoutRelay);
    const committed = await eventIds();
    expect(committed).toHaveLength(9);
    expect(await h.streamMessageCount()).toBe(0);

    relaying = await h.start();
    await waitFor("the backlog to be published", async () => {
      return (await h.streamMessageCount()) === committed.length;
    });
    const published = await h.publishedEvents(committed.length);
    expect(published.map((e) => e.metadata.eventId).sort()).toEqual([...committed].sort());
    expect(await metricValue(relaying, "chat_relay_publish_lag_events")).toBe(0);
  });

  it("publishes again after a crash before the checkpoint moved, and JetStream keeps one copy", async () => {
    const total = (await eventIds()).length;
    await waitFor("the relay to catch up", async () => (await h.streamMessageCount()) === total);
    const publishedBefore = await metricValue(relaying, "chat_events_published_total");

    // As if the relay had published but died before recording it.
    await h.sql`update relay_checkpoint set last_transaction_id = '0', last_position = 0`;
    const customer = h.as(people.customer(1));
    const room = await customer.command("openRoom", {});
    await customer.command("postMessage", {
      roomId: room.id,
      clientMessageId: "after-crash",
      message: "still there?",
    });
    const ids = await eventIds();
    const head = (await h.sql`select max(global_position)::int as head from events`)[0]!.head;
    await waitFor("the checkpoint to reach the head of the log", async () => {
      return (await checkpoint()) === head;
    });

    // Everything went out again (the relay cannot know it already had) ...
    expect(await metricValue(relaying, "chat_events_published_total")).toBe(
      publishedBefore + ids.length,
    );
    // ... yet the stream holds each event once.
    expect(await h.streamMessageCount()).toBe(ids.length);
    const published = await h.publishedEvents(ids.length);
    expect(published.map((e) => e.metadata.eventId).sort()).toEqual([...ids].sort());
  });
});
