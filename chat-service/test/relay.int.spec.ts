import { randomUUID } from "node:crypto";
import type { RecordedRoomEvent } from "@support-chat/contracts";
import { RecordedRoomEvent as RecordedRoomEventSchema } from "@support-chat/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatService } from "../src/service.js";
import { metricValue, people, startHarness, waitFor, type Harness } from "./harness.js";

let h: Harness;
let service: ChatService;

beforeAll(async () => {
  h = await startHarness();
  service = await h.start();
});
afterAll(async () => {
  await h?.close();
});

const eventCount = async () => (await h.sql`select count(*)::int as n from events`)[0]!.n as number;

const conversation = async (n: number, messages: number) => {
  const customer = h.as(people.customer(n));
  const agent = h.as(people.agent(n));
  const room = await customer.command("openRoom", {});
  for (let i = 0; i < messages; i++) {
    await (i % 2 ? agent : customer).command("postMessage", {
      roomId: room.id,
      clientMessageId: `m-${i}`,
      message: `message ${i} in conversation ${n}`,
    });
  }
  return room;
};

/** Appends an event in a transaction the test keeps open until it calls `commit`. */
const holdOpenAppend = async () => {
  const roomId = randomUUID();
  let inserted!: () => void;
  let release!: () => void;
  const insertedPromise = new Promise<void>((resolve) => (inserted = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const done = h.sql.begin(async (tx) => {
    await tx`
      insert into events (stream_id, stream_position, event_id, type, data, metadata, occurred_at)
      values (${`room-${roomId}`}, 1, ${randomUUID()}, 'RoomOpened',
        ${tx.json({ roomId, customerId: "slow-customer", customerName: "Slow Customer" })},
        ${tx.json({ actor: people.customer(999), correlationId: "held-open", causationId: null })},
        now())`;
    inserted();
    await gate;
  });
  await insertedPromise;
  return {
    roomId,
    commit: async () => {
      release();
      await done;
    },
  };
};

describe("relaying the log to JetStream", () => {
  it("publishes every committed event once, even when an earlier transaction commits last", async () => {
    await conversation(1, 3);
    await waitFor("the first events to be published", async () => {
      return (await h.streamMessageCount()) === (await eventCount());
    });
    const before = await h.streamMessageCount();

    const held = await holdOpenAppend();
    let later: Awaited<ReturnType<typeof conversation>>[];
    try {
      later = await Promise.all(Array.from({ length: 6 }, (_, i) => conversation(10 + i, 4)));
      const laterEvents = later.length * 5;
      // The relay has looked at the log since those commits (its lag counts them) ...
      await waitFor("the relay to see the later commits", async () => {
        return (await metricValue(service, "chat_relay_publish_lag_events")) >= laterEvents;
      });
      // ... and still published none of them: they sit behind a transaction that is open.
      expect(await h.streamMessageCount()).toBe(before);
    } finally {
      await held.commit();
    }
    const total = await eventCount();
    await waitFor("every event to be published", async () => {
      return (await h.streamMessageCount()) === total;
    });

    const published = await h.publishedEvents(total);
    const ids = published.map((e) => e.metadata.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    const stored = await h.sql`select event_id from events`;
    expect(new Set(ids)).toEqual(new Set(stored.map((r) => r.event_id as string)));
    expect(published).toHaveLength(total);

    // The held transaction's event comes before everything committed after it began.
    const heldIndex = published.findIndex((e) => e.data.roomId === held.roomId);
    const laterIndexes = published
      .map((e, i) => (later.some((room) => room.id === e.data.roomId) ? i : -1))
      .filter((i) => i >= 0);
    expect(heldIndex).toBeGreaterThanOrEqual(0);
    expect(heldIndex).toBeLessThan(Math.min(...laterIndexes));
  });

  it("publishes events that match the contract, on their type's subject, in stream order", async () => {
    const room = await conversation(50, 2);
    const total = await eventCount();
    await waitFor("the conversation to be published", async () => {
      return (await h.streamMessageCount()) === total;
    });
    const published = await h.publishedEvents(total);
    const ofRoom = published.filter((e: RecordedRoomEvent) => e.data.roomId === room.id);

    expect(ofRoom.map((e) => e.type)).toEqual(["RoomOpened", "MessagePosted", "MessagePosted"]);
    expect(ofRoom.map((e) => e.metadata.streamPosition)).toEqual([1, 2, 3]);
    for (const event of ofRoom) {
      expect(RecordedRoomEventSchema.safeParse(event).success).toBe(true);
      expect(event.metadata.streamId).toBe(`room-${room.id}`);
    }
    const { nc, subjects } = h;
    const { jetstreamManager } = await import("@nats-io/jetstream");
    const jsm = await jetstreamManager(nc);
    const first = await jsm.streams.getMessage(subjects.eventStream, {
      last_by_subj: subjects.event("MessagePosted"),
    });
    expect(first?.subject).toBe(subjects.event("MessagePosted"));
    expect(first?.header.get("correlation-id")).toBe(ofRoom[2]!.metadata.correlationId);
  });
});
