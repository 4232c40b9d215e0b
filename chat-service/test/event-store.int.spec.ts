import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatService } from "../src/service.js";
import { metricValue, people, refusal, startHarness, waitFor, type Harness } from "./harness.js";

let h: Harness;
let service: ChatService;

beforeAll(async () => {
  h = await startHarness();
  service = await h.start({ RELAY_ENABLED: "false" });
});
afterAll(async () => {
  await h?.close();
});

describe("the event log", () => {
  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    const customer = h.as(people.customer(1));
    const room = await customer.command("openRoom", {});
    const [before] = await h.sql`select count(*)::int as n from events`;

    await expect(h.sql`update events set type = 'Forged'`).rejects.toThrow(/append-only/);
    await expect(h.sql`delete from events`).rejects.toThrow(/append-only/);
    await expect(h.sql`truncate events`).rejects.toThrow(/append-only/);

    const rows = await h.sql`select type, stream_id from events`;
    expect(rows.length).toBe(before!.n);
    expect(rows).toContainEqual({ type: "RoomOpened", stream_id: `room-${room.id}` });
  });

  it("records metadata with every event: actor, correlation and causation ids, time", async () => {
    const customer = h.as(people.customer(2));
    const room = await customer.command("openRoom", {});
    const [row] = await h.sql`
      select stream_position, metadata, occurred_at, transaction_id::text as tx
      from events where stream_id = ${`room-${room.id}`}`;
    expect(row!.stream_position).toBe(1);
    expect(row!.metadata).toMatchObject({ actor: people.customer(2), causationId: null });
    expect(typeof row!.metadata.correlationId).toBe("string");
    expect(new Date(row!.occurred_at).toISOString()).toBe(room.createdAt);
    expect(Number(row!.tx)).toBeGreaterThan(0);
  });
});

describe("appending to a room", () => {
  it("gives concurrent posts consecutive seqs, with no gaps and no duplicates", async () => {
    const customer = h.as(people.customer(3));
    const agent = h.as(people.agent(3));
    const room = await customer.command("openRoom", {});

    const sends = Array.from({ length: 8 }, (_, i) =>
      (i % 2 ? agent : customer).command("postMessage", {
        roomId: room.id,
        clientMessageId: `burst-${i}`,
        message: `message ${i}`,
      }),
    );
    const results = await Promise.all(sends);

    expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    const stored = await h.sql`
      select seq, client_message_id from chat_messages where chat_room_id = ${room.id} order by seq`;
    expect(stored.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(stored.map((r) => r.client_message_id)).size).toBe(8);
    const positions = await h.sql`
      select stream_position from events where stream_id = ${`room-${room.id}`} order by 1`;
    expect(positions.map((r) => r.stream_position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("decides again when another writer took the next position first", async () => {
    const customer = h.as(people.customer(30));
    const room = await customer.command("openRoom", {});
    const conflictsBefore = await metricValue(service, "chat_append_conflicts_total");

    // Another replica is appending seq 1 to the same room and has not committed yet.
    let release!: () => void;
    let inserted!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const insertedPromise = new Promise<void>((resolve) => (inserted = resolve));
    const otherWriter = h.sql.begin(async (tx) => {
      const data = {
        roomId: room.id,
        messageId: randomUUID(),
        seq: 1,
        clientMessageId: "other-replica",
        senderId: "customer-30",
        senderName: "Customer 30",
        senderRole: "customer",
        isFromSupport: false,
        message: "first",
      };
      await tx`insert into events (stream_id, stream_position, event_id, type, data, metadata, occurred_at)
        values (${`room-${room.id}`}, 2, ${randomUUID()}, 'MessagePosted', ${tx.json(data)},
          ${tx.json({ actor: people.customer(30), correlationId: "other", causationId: null })}, now())`;
      await tx`insert into chat_messages (id, chat_room_id, seq, sender_id, sender_name, sender_role,
          message, is_from_support, client_message_id, created_at)
        values (${data.messageId}, ${room.id}, 1, ${data.senderId}, ${data.senderName}, 'customer',
          'first', false, 'other-replica', now())`;
      await tx`update chat_rooms set last_seq = 1 where id = ${room.id}`;
      inserted();
      await gate;
    });
    await insertedPromise;

    let ours: Promise<{ message: { seq: number } }> | undefined;
    try {
      ours = customer.command("postMessage", {
        roomId: room.id,
        clientMessageId: "ours",
        message: "second",
      });
      await waitFor("our append to wait on the other writer", async () => {
        const [row] = await h.sql`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`;
        return row!.n > 0;
      });
    } finally {
      release();
      await otherWriter;
    }

    expect((await ours).message.seq).toBe(2);
    expect(await metricValue(service, "chat_append_conflicts_total")).toBe(conflictsBefore + 1);
    const positions = await h.sql`select stream_position, data->>'clientMessageId' as id
      from events where stream_id = ${`room-${room.id}`} order by 1`;
    expect(positions.map((r) => [r.stream_position, r.id])).toEqual([
      [1, null],
      [2, "other-replica"],
      [3, "ours"],
    ]);
  });

  it("stores a retried send once and answers the retry with the same message", async () => {
    const customer = h.as(people.customer(4));
    const room = await customer.command("openRoom", {});
    const send = { roomId: room.id, clientMessageId: "retry-me", message: "  is anyone there? " };

    const first = await customer.command("postMessage", send);
    const second = await customer.command("postMessage", send);
    const [a, b] = await Promise.all([
      customer.command("postMessage", send),
      customer.command("postMessage", send),
    ]);

    expect(first.duplicate).toBe(false);
    expect(first.message.message).toBe("is anyone there?");
    for (const again of [second, a, b]) {
      expect(again.duplicate).toBe(true);
      expect(again.message).toEqual(first.message);
    }
    const [{ n }] = (await h.sql`
      select count(*)::int as n from chat_messages where chat_room_id = ${room.id}`) as [
      { n: number },
    ];
    expect(n).toBe(1);
  });

  it("refuses bad input and changes nothing", async () => {
    const customer = h.as(people.customer(5));
    const room = await customer.command("openRoom", {});
    const eventsBefore = await h.sql`select count(*)::int as n from events`;

    const empty = await refusal(
      customer.command("postMessage", { roomId: room.id, clientMessageId: "e", message: "  " }),
    );
    const long = await refusal(
      customer.command("postMessage", {
        roomId: room.id,
        clientMessageId: "l",
        message: "x".repeat(2001),
      }),
    );
    const foreign = await refusal(
      h.as(people.customer(6)).command("postMessage", {
        roomId: room.id,
        clientMessageId: "f",
        message: "hi",
      }),
    );
    const unknown = await refusal(
      customer.command("postMessage", {
        roomId: "00000000-0000-4000-8000-000000000000",
        clientMessageId: "u",
        message: "hi",
      }),
    );

    expect([empty.code, long.code, foreign.code, unknown.code]).toEqual([
      "MESSAGE_EMPTY",
      "MESSAGE_TOO_LONG",
      "FORBIDDEN",
      "NOT_FOUND",
    ]);
    expect(await h.sql`select count(*)::int as n from events`).toEqual(eventsBefore);
  });
});

describe("one open room per customer", () => {
  it("returns the same room to concurrent opens of one customer", async () => {
    const customer = h.as(people.customer(7));
    const rooms = await Promise.all(
      Array.from({ length: 10 }, () => customer.command("openRoom", {})),
    );
    expect(new Set(rooms.map((r) => r.id)).size).toBe(1);
    const stored = await h.sql`select id from chat_rooms where user_id = ${"customer-7"}`;
    expect(stored.map((r) => r.id)).toEqual([rooms[0]!.id]);
    const opened = await h.sql`select count(*)::int as n from events where type = 'RoomOpened'
      and data->>'customerId' = ${"customer-7"}`;
    expect(opened[0]!.n).toBe(1);
  });

  it("opens a new room after the old one is closed", async () => {
    const customer = h.as(people.customer(8));
    const first = await customer.command("openRoom", {});
    expect((await customer.command("openRoom", {})).id).toBe(first.id);
    const closedRoom = await customer.command("closeRoom", { roomId: first.id });
    const second = await customer.command("openRoom", {});

    expect(closedRoom.status).toBe("closed");
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ status: "waiting", lastSeq: 0, userId: "customer-8" });
  });

  it("refuses support staff opening a customer room", async () => {
    expect((await refusal(h.as(people.agent(8)).command("openRoom", {}))).code).toBe("FORBIDDEN");
  });
});

describe("agent capacity", () => {
  it("assigns at most maxChats rooms to one agent under concurrent routing", async () => {
    const rooms = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.as(people.customer(100 + i)).command("openRoom", {})),
    );
    const router = h.as(people.router());
    const outcomes = await Promise.allSettled(
      rooms.map((room) =>
        router.command("assignRoom", {
          roomId: room.id,
          agentId: "agent-cap",
          agentName: "Capped Agent",
          maxChats: 3,
        }),
      ),
    );

    const assigned = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    expect(assigned).toHaveLength(3);
    expect(refused.map((e: { code: string }) => e.code)).toEqual(
      Array(7).fill("AGENT_AT_CAPACITY"),
    );
    const [{ n }] = (await h.sql`select count(*)::int as n from chat_rooms
      where support_agent_id = 'agent-cap' and status <> 'closed'`) as [{ n: number }];
    expect(n).toBe(3);
  });

  it("frees capacity when a room closes", async () => {
    const router = h.as(people.router());
    const assign = (roomId: string) =>
      router.command("assignRoom", { roomId, agentId: "agent-one", agentName: "One", maxChats: 1 });
    const a = await h.as(people.customer(200)).command("openRoom", {});
    const b = await h.as(people.customer(201)).command("openRoom", {});
    await assign(a.id);
    expect((await refusal(assign(b.id))).code).toBe("AGENT_AT_CAPACITY");
    await h.as(people.customer(200)).command("closeRoom", { roomId: a.id });
    expect((await assign(b.id)).supportAgentId).toBe("agent-one");
  });

  it("holds an agent's own claims to the capacity passed with them, even when concurrent", async () => {
    const rooms = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.as(people.customer(300 + i)).command("openRoom", {})),
    );
    const claimer = h.as(people.agent(30));
    const outcomes = await Promise.allSettled(
      rooms.map((room) => claimer.command("claimRoom", { roomId: room.id, maxChats: 2 })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(2);
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    expect(refused.map((e: { code: string }) => e.code)).toEqual(
      Array(4).fill("AGENT_AT_CAPACITY"),
    );
    // Re-opening a room one already holds is not a new claim and never refused for capacity.
    const held = rooms.find((_, i) => outcomes[i]!.status === "fulfilled")!;
    expect((await claimer.command("claimRoom", { roomId: held.id, maxChats: 2 })).id).toBe(held.id);
  });
});

describe("paging messages", () => {
  it("pages forwards with after, backwards with before, and the latest by default", async () => {
    const customer = h.as(people.customer(9));
    const room = await customer.command("openRoom", {});
    for (let i = 1; i <= 7; i++) {
      await customer.command("postMessage", {
        roomId: room.id,
        clientMessageId: `p-${i}`,
        message: `m${i}`,
      });
    }
    const page = (q: { after?: number; before?: number; limit?: number }) =>
      customer.query("listMessages", { roomId: room.id, ...q });
    const seqs = (p: Awaited<ReturnType<typeof page>>) => p.messages.map((m) => m.seq);

    const latest = await page({ limit: 3 });
    expect([seqs(latest), latest.hasMore, latest.lastSeq]).toEqual([[5, 6, 7], true, 7]);
    const older = await page({ before: 5, limit: 3 });
    expect([seqs(older), older.hasMore]).toEqual([[2, 3, 4], true]);
    const oldest = await page({ before: 2, limit: 3 });
    expect([seqs(oldest), oldest.hasMore]).toEqual([[1], false]);
    const catchUp = await page({ after: 3, limit: 2 });
    expect([seqs(catchUp), catchUp.hasMore]).toEqual([[4, 5], true]);
    const rest = await page({ after: 5 });
    expect([seqs(rest), rest.hasMore]).toEqual([[6, 7], false]);
    const nothing = await page({ after: 7 });
    expect([seqs(nothing), nothing.hasMore, nothing.lastSeq]).toEqual([[], false, 7]);
    expect(seqs(await page({}))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
