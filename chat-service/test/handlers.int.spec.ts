import { chatCommands, replyOf } from "@support-chat/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatService } from "../src/service.js";
import { metricValue, people, refusal, startHarness, waitFor, type Harness } from "./harness.js";

let h: Harness;
let first: ChatService;
let second: ChatService;

beforeAll(async () => {
  h = await startHarness();
  [first, second] = await Promise.all([h.start(), h.start()]);
});
afterAll(async () => {
  await h?.close();
});

const rawRequest = async (subject: string, body: string) => {
  const reply = await h.nc.request(subject, new TextEncoder().encode(body), { timeout: 5000 });
  return reply.json<unknown>();
};

describe("the NATS interface", () => {
  it("answers a malformed envelope with VALIDATION_FAILED", async () => {
    const subject = h.subjects.command("postMessage");
    const notJson = await rawRequest(subject, "{not json");
    const noActor = await rawRequest(
      subject,
      JSON.stringify({ correlationId: "c", payload: { roomId: "x" } }),
    );
    const badPayload = await rawRequest(
      subject,
      JSON.stringify({
        actor: people.customer(),
        correlationId: "c",
        payload: { roomId: "not-a-uuid", clientMessageId: "a", message: "hi" },
      }),
    );
    for (const reply of [notJson, noActor, badPayload]) {
      expect(reply).toMatchObject({ status: "ERROR", error: { code: "VALIDATION_FAILED" } });
    }
    expect((badPayload as { error: { message: string } }).error.message).toMatch(/roomId/);
  });

  it("answers a refused command with its code and a readable message", async () => {
    const room = await h.as(people.customer(1)).command("openRoom", {});
    const reply = await rawRequest(
      h.subjects.command("closeRoom"),
      JSON.stringify({
        actor: people.customer(2),
        correlationId: "c",
        payload: { roomId: room.id },
      }),
    );
    const parsed = replyOf(chatCommands.closeRoom.reply).parse(reply);
    expect(parsed).toEqual({
      status: "ERROR",
      error: { code: "FORBIDDEN", message: expect.stringContaining(room.id) },
    });
    expect((await h.as(people.customer(1)).query("getRoom", { roomId: room.id })).status).toBe(
      "waiting",
    );
  });

  it("shares the work between two replicas and keeps one gap-free conversation", async () => {
    const customer = h.as(people.customer(3));
    const agent = h.as(people.agent(3));
    const room = await customer.command("openRoom", {});
    await agent.command("claimRoom", { roomId: room.id });
    const sends = Array.from({ length: 30 }, (_, i) =>
      (i % 3 ? customer : agent).command("postMessage", {
        roomId: room.id,
        clientMessageId: `r-${i}`,
        message: `replica message ${i}`,
      }),
    );
    await Promise.all(sends);

    const page = await customer.query("listMessages", { roomId: room.id, limit: 200 });
    expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const appended = [
      await metricValue(first, "chat_events_appended_total"),
      await metricValue(second, "chat_events_appended_total"),
    ];
    expect(appended[0]).toBeGreaterThan(0);
    expect(appended[1]).toBeGreaterThan(0);
    const total = (await h.sql`select count(*)::int as n from events`)[0]!.n as number;
    expect(appended[0]! + appended[1]!).toBe(total);

    // Both replicas run a relay, but only one publishes at a time: nothing goes out twice.
    await waitFor("everything to be published", async () => {
      return (await h.streamMessageCount()) === total;
    });
    await waitFor("both relays to settle", async () => {
      const published =
        (await metricValue(first, "chat_events_published_total")) +
        (await metricValue(second, "chat_events_published_total"));
      return published >= total;
    });
    expect(
      (await metricValue(first, "chat_events_published_total")) +
        (await metricValue(second, "chat_events_published_total")),
    ).toBe(total);
  });

  it("serves /healthz, /readyz and /metrics", async () => {
    const base = `http://127.0.0.1:${first.opsPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { postgres: "ok", nats: "ok" } });
    expect(await (await fetch(`${base}/metrics`)).text()).toContain("chat_append_duration_seconds");
  });
});

describe("reading rooms from each side", () => {
  it("counts unread messages and read flags from the caller's side", async () => {
    const customer = h.as(people.customer(10));
    const agent = h.as(people.agent(10));
    const room = await customer.command("openRoom", {});
    const post = (who: typeof customer, id: string) =>
      who.command("postMessage", { roomId: room.id, clientMessageId: id, message: id });
    await post(customer, "c1");
    await post(customer, "c2");
    await agent.command("claimRoom", { roomId: room.id });
    await post(agent, "a1");

    expect((await customer.query("getRoom", { roomId: room.id })).unreadCount).toBe(1);
    expect((await agent.query("getRoom", { roomId: room.id })).unreadCount).toBe(2);

    const read = await agent.command("markRead", { roomId: room.id, upToSeq: 1 });
    expect(read).toEqual({ roomId: room.id, side: "support", upToSeq: 1, unreadCount: 1 });
    const views = await h.as(people.router()).query("getRoomViews", { roomId: room.id });
    expect([views.customer.unreadCount, views.support.unreadCount]).toEqual([1, 1]);

    const page = await customer.query("listMessages", { roomId: room.id });
    // isRead says whether the other side has read it.
    expect(page.messages.map((m) => [m.message, m.isRead])).toEqual([
      ["c1", true],
      ["c2", false],
      ["a1", false],
    ]);

    const customerRead = await customer.command("markRead", { roomId: room.id });
    expect(customerRead).toMatchObject({ side: "customer", upToSeq: 3, unreadCount: 0 });
    const again = await customer.command("markRead", { roomId: room.id });
    expect(again).toMatchObject({ side: "customer", upToSeq: 3, unreadCount: 0 });
    const reads = await h.sql`select count(*)::int as n from events
      where type = 'MessagesRead' and stream_id = ${`room-${room.id}`}`;
    expect(reads[0]!.n).toBe(2);
    expect(
      (await refusal(customer.command("markRead", { roomId: room.id, upToSeq: 9 }))).code,
    ).toBe("VALIDATION_FAILED");
  });

  it("keeps customers out of other rooms and support lists", async () => {
    const room = await h.as(people.customer(20)).command("openRoom", {});
    const stranger = h.as(people.customer(21));
    const unknownRoom = "00000000-0000-4000-8000-000000000000";
    expect((await refusal(stranger.query("getRoom", { roomId: room.id }))).code).toBe("FORBIDDEN");
    expect((await refusal(stranger.query("listMessages", { roomId: room.id }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await refusal(stranger.query("listSupportRooms", {}))).code).toBe("FORBIDDEN");
    expect((await refusal(stranger.query("getRoomViews", { roomId: room.id }))).code).toBe(
      "FORBIDDEN",
    );
    expect(
      (await refusal(h.as(people.agent()).query("getRoomViews", { roomId: room.id }))).code,
    ).toBe("FORBIDDEN");
    expect((await refusal(stranger.query("getRoom", { roomId: unknownRoom }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await h.as(people.agent()).query("getRoom", { roomId: room.id })).id).toBe(room.id);
  });

  it("lists waiting rooms first, longest waiting first, then by last activity", async () => {
    const agent = h.as(people.agent(30));
    const manager = h.as(people.manager());
    const open = async (n: number) => h.as(people.customer(300 + n)).command("openRoom", {});
    const oldWaiting = await open(1);
    const busy = await open(2);
    const newWaiting = await open(3);
    const quiet = await open(4);
    await agent.command("claimRoom", { roomId: quiet.id });
    await agent.command("claimRoom", { roomId: busy.id });
    await h.as(people.customer(302)).command("postMessage", {
      roomId: busy.id,
      clientMessageId: "latest",
      message: "any news?",
    });
    const closed = await open(5);
    await h.as(people.customer(305)).command("closeRoom", { roomId: closed.id });

    const ours = new Set([oldWaiting.id, busy.id, newWaiting.id, quiet.id, closed.id]);
    const listed = (await agent.query("listSupportRooms", {})).rooms.filter((r) => ours.has(r.id));
    expect(listed.map((r) => r.id)).toEqual([oldWaiting.id, newWaiting.id, busy.id, quiet.id]);

    const mine = await agent.query("listSupportRooms", { assignedTo: "agent-30" });
    expect(mine.rooms.map((r) => r.id).sort()).toEqual([busy.id, quiet.id].sort());
    const closedOnly = await manager.query("listSupportRooms", { status: ["closed"] });
    expect(closedOnly.rooms.map((r) => r.id)).toContain(closed.id);
    expect(closedOnly.rooms.every((r) => r.status === "closed")).toBe(true);
  });

  it("transfers, requeues and closes rooms", async () => {
    const customer = h.as(people.customer(40));
    const agent = h.as(people.agent(40));
    const room = await customer.command("openRoom", {});
    await agent.command("claimRoom", { roomId: room.id });
    await h.as(people.agent(41)).command("postMessage", {
      roomId: room.id,
      clientMessageId: "hello",
      message: "I am Agent 41",
    });

    // Without a name, the transfer uses the name the agent is known by.
    const moved = await agent.command("transferRoom", { roomId: room.id, agentId: "agent-41" });
    expect(moved).toMatchObject({ supportAgentId: "agent-41", supportAgentName: "Agent 41" });
    expect(
      (await refusal(agent.command("requeueRoom", { roomId: room.id, reason: "manual" }))).code,
    ).toBe("FORBIDDEN");
    const back = await h
      .as(people.router())
      .command("requeueRoom", { roomId: room.id, reason: "agent_offline" });
    expect(back).toMatchObject({ status: "waiting", supportAgentId: null });

    const closed = await agent.command("closeRoom", { roomId: room.id });
    expect(closed.status).toBe("closed");
    expect(closed.closedAt).not.toBeNull();
    expect(
      (
        await refusal(
          customer.command("postMessage", { roomId: room.id, clientMessageId: "x", message: "hi" }),
        )
      ).code,
    ).toBe("ROOM_CLOSED");
  });
});
