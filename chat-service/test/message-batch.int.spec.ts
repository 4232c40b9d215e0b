import { randomUUID } from "node:crypto";
import type { Actor } from "@support-chat/contracts";
import { createLogger, createMetricsRegistry } from "@support-chat/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatMetrics } from "../src/adapters/metrics.js";
import { connectDatabase, type DatabaseHandle } from "../src/adapters/store/db.js";
import { createEventStore, type AppendContext } from "../src/adapters/store/event-store.js";
import { rebuildProjections } from "../src/adapters/store/rebuild.js";
import { createMessageBatcher } from "../src/adapters/store/message-batch.js";
import { roomDecider, type RoomCommand } from "../src/domain/decide.js";
import { people, startHarness, type Harness } from "./harness.js";

/**
 * The message path at the level of the event store: two stores over one database are two
 * replicas, each with its own room cache and group commit.
 */
let h: Harness;
const handles: DatabaseHandle[] = [];
const decider = roomDecider({ messageMaxLength: 2000 });
const log = createLogger("message-batch-test", process.env.TEST_LOG_LEVEL ?? "silent");

const replica = async (concurrency = 1, limits = { maxWaiting: 1000 }) => {
  const handle = await connectDatabase(h.database.url, 5, log);
  handles.push(handle);
  const metrics = createChatMetrics(createMetricsRegistry("chat-service"));
  const store = createEventStore({
    db: handle.db,
    log,
    metrics,
    onAppended: () => undefined,
    messages: createMessageBatcher({
      sql: handle.sql,
      concurrency,
      maxBatch: 100,
      maxWaiting: limits.maxWaiting,
      maxWaitMs: 10_000,
      onShed: (count) => metrics.messagesShed.inc(count),
    }),
  });
  const run = (actor: Actor, roomId: string, command: (now: Date) => RoomCommand) => {
    const now = new Date();
    const ctx: AppendContext = { actor, correlationId: randomUUID(), causationId: null, now };
    return store.handle(roomId, (state) => ({ events: decider.decide(command(now), state) }), ctx);
  };
  const decide = async (actor: Actor, roomId: string, command: (now: Date) => RoomCommand) => {
    await run(actor, roomId, command);
  };
  const open = async (actor: Actor) => {
    const roomId = randomUUID();
    await run(actor, roomId, (now) => ({
      type: "OpenRoom",
      data: { roomId },
      metadata: { actor, now },
    }));
    return roomId;
  };
  const post = async (actor: Actor, roomId: string, clientMessageId: string) => {
    const { appended } = await run(actor, roomId, (now) => ({
      type: "PostMessage",
      data: {
        roomId,
        messageId: randomUUID(),
        clientMessageId,
        text: `text of ${clientMessageId}`,
      },
      metadata: { actor, now },
    }));
    const [event] = appended;
    if (event?.type !== "MessagePosted") throw new Error("no message was posted");
    return event;
  };
  const conflicts = async () => (await metrics.appendConflicts.get()).values[0]?.value ?? 0;
  const shed = async () => (await metrics.messagesShed.get()).values[0]?.value ?? 0;
  return { open, post, conflicts, shed, decide, db: handle.db };
};

beforeAll(async () => {
  h = await startHarness();
  // Applies the migrations; its own traffic plays no part below.
  await h.start({ RELAY_ENABLED: "false" });
});
afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.close()));
  await h?.close();
});

const messagesOf = (roomId: string) => h.sql`
  select seq, client_message_id, is_read from chat_messages where chat_room_id = ${roomId}
  order by seq`;

describe("posting messages from the room cache", () => {
  it("ends a stale cache in a retry that decides again, never a wrong append", async () => {
    const a = await replica();
    const b = await replica();
    const customer = people.customer(1);
    const roomId = await a.open(customer);
    await a.post(customer, roomId, "from-a-1");
    // Replica b writes next: a's cached room is now one event behind.
    await b.post(customer, roomId, "from-b");
    const again = await a.post(customer, roomId, "from-a-2");

    expect(again.data.seq).toBe(3);
    expect(again.metadata.streamPosition).toBe(4);
    // a decided from its cache first (so it lost the race), then from the log.
    expect(await a.conflicts()).toBe(1);
    expect((await messagesOf(roomId)).map((r) => [r.seq, r.client_message_id])).toEqual([
      [1, "from-a-1"],
      [2, "from-b"],
      [3, "from-a-2"],
    ]);
    const [room] = await h.sql`
      select last_seq, unread_for_support, version from chat_rooms where id = ${roomId}`;
    expect(room).toEqual({ last_seq: 3, unread_for_support: 3, version: 4 });
  });

  it("commits messages that arrive together in one transaction, each projected once", async () => {
    const a = await replica(1);
    const rooms = await Promise.all(
      Array.from({ length: 12 }, (_, i) => a.open(people.customer(100 + i))),
    );
    const posted = await Promise.all(
      rooms.map((roomId, i) => a.post(people.customer(100 + i), roomId, `together-${i}`)),
    );

    const transactions = await h.sql`
      select count(distinct transaction_id)::int as n from events
      where type = 'MessagePosted' and stream_id = any(${rooms.map((r) => `room-${r}`)})`;
    // The first goes alone at once; the other eleven wait for it and go together.
    expect(transactions[0]!.n).toBe(2);
    for (const [i, roomId] of rooms.entries()) {
      expect(posted[i]!.data.seq).toBe(1);
      expect((await messagesOf(roomId)).map((r) => r.client_message_id)).toEqual([`together-${i}`]);
    }
    const stored = await h.sql`
      select global_position::int as position from events
      where event_id = any(${posted.map((e) => e.metadata.eventId)})`;
    expect(new Set(stored.map((r) => r.position))).toEqual(
      new Set(posted.map((e) => e.metadata.globalPosition)),
    );
    const unread = await h.sql`
      select sum(unread_for_support)::int as support, sum(unread_for_customer)::int as customer
      from chat_rooms where id = any(${rooms})`;
    expect(unread[0]).toEqual({ support: 12, customer: 0 });
  });

  it("keeps the rest of a batch when one message's position was taken", async () => {
    const a = await replica(1);
    const b = await replica(1);
    const customers = [31, 32, 33].map((n) => people.customer(n));
    const rooms = await Promise.all(customers.map((c) => a.open(c)));
    await b.post(customers[1]!, rooms[1]!, "b-first");

    const posted = await Promise.all(
      rooms.map((roomId, i) => a.post(customers[i]!, roomId, `a-${i}`)),
    );

    expect(posted.map((e) => e.data.seq)).toEqual([1, 2, 1]);
    expect(await a.conflicts()).toBe(1);
    expect((await messagesOf(rooms[1]!)).map((r) => r.client_message_id)).toEqual([
      "b-first",
      "a-1",
    ]);
  });
});

describe("more messages than the store can take", () => {
  it("refuses the ones past the limit with UNAVAILABLE and stores nothing of them", async () => {
    const a = await replica(1, { maxWaiting: 4 });
    const rooms = await Promise.all(
      Array.from({ length: 10 }, (_, i) => a.open(people.customer(400 + i))),
    );
    const outcomes = await Promise.allSettled(
      rooms.map((roomId, i) => a.post(people.customer(400 + i), roomId, `flood-${i}`)),
    );

    // One goes out at once, four wait for it, the other five are turned away.
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(5);
    expect(refused.map((e: { code?: string }) => e.code)).toEqual(Array(5).fill("UNAVAILABLE"));
    expect(await a.shed()).toBe(5);
    const stored = await h.sql`
      select count(*)::int as n from chat_messages where chat_room_id = any(${rooms})`;
    expect(stored[0]!.n).toBe(5);
  });
});

/** Every table but the log itself, as the database prints it, in a fixed order. */
const everyProjection = async (): Promise<string> => {
  const tables = await h.sql`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
      and table_name not in ('events', 'relay_checkpoint') and table_name not like '%migrations%'
    order by table_name`;
  const dumps: string[] = [];
  for (const { name } of tables) {
    const rows = await h.sql.unsafe(
      `select row_to_json(t)::text as row from "${name as string}" t
       order by row_to_json(t)::text`,
    );
    dumps.push(`${name as string}:`, ...rows.map((r) => r.row as string));
  }
  return dumps.join("\n");
};

describe("the message path and the projections", () => {
  it("writes exactly what replaying the log through every projection writes", async () => {
    const a = await replica(2);
    const agent = people.agent(50);
    const rooms = await Promise.all(
      Array.from({ length: 4 }, (_, i) => a.open(people.customer(500 + i))),
    );
    for (const roomId of rooms) {
      await a.decide(agent, roomId, (now) => ({
        type: "ClaimRoom",
        data: { roomId },
        metadata: { actor: agent, now },
      }));
    }
    // Customers and the agent write side by side, with the room states in the cache.
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        rooms.flatMap((roomId, i) => [
          a.post(people.customer(500 + i), roomId, `c-${round}`),
          a.post(agent, roomId, `a-${round}`),
        ]),
      );
    }
    const live = await everyProjection();

    await rebuildProjections(a.db);

    expect(await everyProjection()).toBe(live);
    expect(live).toContain("a-2");
  });
});
