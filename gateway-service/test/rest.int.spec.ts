import { randomUUID } from "node:crypto";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AgentView,
  assignmentQueries,
  ChatMessage,
  ChatRoom,
  DevTokenResponse,
  MarkReadResult,
} from "@support-chat/contracts";
import {
  connectSocket,
  eventually,
  expectRestError,
  rest,
  restData,
  type RestResponse,
} from "./support/clients.js";
import { signToken, startHarness, type Harness, type Person } from "./support/harness.js";

let h: Harness;
const sockets = new Map<string, Socket>();
beforeAll(async () => {
  h = await startHarness({ env: { AUTH_DEV_LOGIN: "true" } });
});
afterEach(() => {
  for (const socket of sockets.values()) socket.close();
  sockets.clear();
});
afterAll(async () => {
  await h?.stop();
});

const call = (who: Person | null, method: string, path: string, body?: unknown) =>
  rest(h.url, who, method, path, body);

const openRoom = async (customer: Person): Promise<ChatRoom> =>
  restData(await call(customer, "GET", "/chat/room"), 200, ChatRoom);

const post = (
  who: Person,
  roomId: string,
  message: string,
  clientMessageId: string = randomUUID(),
) => call(who, "POST", `/chat/room/${roomId}/messages`, { message, clientMessageId });

const listAgents = async (who: Person): Promise<AgentView[]> =>
  restData(await call(who, "GET", "/chat/support/agents"), 200, z.array(AgentView));

/** An agent with the console open: a socket on the gateway, seen online by the assignment service. */
const onlineAgent = async (name: string): Promise<Person> => {
  const agent = h.person("agent", name);
  sockets.set(agent.id, await connectSocket(h.url, agent));
  await eventually(
    () => listAgents(agent),
    (agents) => agents.some((a) => a.agentId === agent.id && a.online),
  );
  return agent;
};

const closeSocketOf = (agent: Person) => {
  sockets.get(agent.id)?.close();
  sockets.delete(agent.id);
};

const setCapacity = (who: Person, agentId: string, maxChats: number | null) =>
  call(who, "PUT", `/chat/support/agents/${encodeURIComponent(agentId)}/capacity`, { maxChats });

const setCapacityOk = (res: RestResponse, maxChats: number): AgentView => {
  const view = restData(res, 200, AgentView);
  expect(view.maxChats).toBe(maxChats);
  return view;
};

/** What the assignment service stored for an agent (undefined: no row at all). */
const storedCapacity = async (agentId: string): Promise<number | null | undefined> => {
  const rows = await h.sql<{ max_chats: number | null }[]>`
    select max_chats from assignment_agent_settings where agent_id = ${agentId}`;
  return rows[0]?.max_chats;
};

/** Runs a refused request and checks that the event log did not move. */
const refusedWithoutChange = async (
  request: () => Promise<RestResponse>,
  status: number,
  code: string,
) => {
  const before = await h.eventCount();
  const error = expectRestError(await request(), status, code);
  expect(await h.eventCount()).toBe(before);
  return error;
};

describe("customer room", () => {
  it("GET /chat/room opens the caller's room once and returns the same one after", async () => {
    const ann = h.person("customer", "Ann");
    const first = await openRoom(ann);
    expect(first).toMatchObject({ userId: ann.id, userName: "Ann", status: "waiting" });
    expect((await openRoom(ann)).id).toBe(first.id);
  });

  it("GET /chat/room is refused to agents by the chat service", async () => {
    await refusedWithoutChange(
      () => call(h.person("agent"), "GET", "/chat/room"),
      403,
      "FORBIDDEN",
    );
  });

  it("GET /chat/room/:id shows a customer their room and agents any room", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    expect(restData(await call(ann, "GET", `/chat/room/${room.id}`), 200, ChatRoom).id).toBe(
      room.id,
    );
    const agent = h.person("agent");
    expect(restData(await call(agent, "GET", `/chat/room/${room.id}`), 200, ChatRoom).id).toBe(
      room.id,
    );
  });

  it("GET /chat/room/:id refuses another customer's room, unknown rooms and non-UUID ids", async () => {
    const room = await openRoom(h.person("customer"));
    const intruder = h.person("customer");
    expectRestError(await call(intruder, "GET", `/chat/room/${room.id}`), 403, "FORBIDDEN");
    expectRestError(await call(intruder, "GET", `/chat/room/${randomUUID()}`), 404, "NOT_FOUND");
    expectRestError(await call(intruder, "GET", "/chat/room/not-a-uuid"), 400, "VALIDATION_FAILED");
  });

  it("POST /chat/room/:id/close closes the room; the next GET /chat/room opens a new one", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    const closed = restData(await call(ann, "POST", `/chat/room/${room.id}/close`), 200, ChatRoom);
    expect(closed).toMatchObject({ id: room.id, status: "closed" });
    const next = await openRoom(ann);
    expect(next.id).not.toBe(room.id);
    expect(next.status).toBe("waiting");
  });

  it("POST /chat/room/:id/close refuses another customer's room and changes nothing", async () => {
    const room = await openRoom(h.person("customer"));
    await refusedWithoutChange(
      () => call(h.person("customer"), "POST", `/chat/room/${room.id}/close`),
      403,
      "FORBIDDEN",
    );
  });
});

describe("messages over REST", () => {
  it("POST /chat/room/:id/messages records a message (201) and a retry returns it again (200)", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    const clientMessageId = `c-${randomUUID()}`;
    const created = restData(
      await post(ann, room.id, "  Hello, I need help!  ", clientMessageId),
      201,
      ChatMessage,
    );
    expect(created).toMatchObject({
      chatRoomId: room.id,
      senderId: ann.id,
      message: "Hello, I need help!",
      isFromSupport: false,
      seq: 1,
      clientMessageId,
    });
    const events = await h.eventCount();
    const retried = restData(
      await post(ann, room.id, "Hello, I need help!", clientMessageId),
      200,
      ChatMessage,
    );
    expect(retried).toEqual(created);
    expect(await h.eventCount()).toBe(events);
    const [row] = await h.sql<[{ count: number }]>`
      select count(*)::int as count from chat_messages where chat_room_id = ${room.id}`;
    expect(row.count).toBe(1);
  });

  it("refuses every bad message and records nothing", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    const path = `/chat/room/${room.id}/messages`;
    const id = () => randomUUID();
    await refusedWithoutChange(() => post(ann, room.id, "   "), 400, "MESSAGE_EMPTY");
    const tooLong = await refusedWithoutChange(
      () => post(ann, room.id, "x".repeat(2001)),
      400,
      "MESSAGE_TOO_LONG",
    );
    expect(tooLong.message).toContain("2000");
    await refusedWithoutChange(
      () => call(ann, "POST", path, { message: "hi" }),
      400,
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(
      () => call(ann, "POST", path, { message: 42, clientMessageId: id() }),
      400,
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(
      () => call(ann, "POST", path, { message: "hi", clientMessageId: "has spaces!" }),
      400,
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(
      () =>
        call(ann, "POST", path, { message: "hi", clientMessageId: id(), senderId: "someone-else" }),
      403,
      "IDENTITY_MISMATCH",
    );
    await refusedWithoutChange(
      () => call(ann, "POST", path, { message: "hi", clientMessageId: id(), isFromSupport: true }),
      403,
      "IDENTITY_MISMATCH",
    );
    await refusedWithoutChange(
      () => call(ann, "POST", path, '{"message": "hi",'),
      400,
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(
      () => call(ann, "POST", path, { message: "x".repeat(70 * 1024), clientMessageId: id() }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    await refusedWithoutChange(
      () => call(ann, "POST", "/chat/room/nope/messages", { message: "hi", clientMessageId: id() }),
      400,
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(
      () => post(h.person("customer"), room.id, "let me in"),
      403,
      "FORBIDDEN",
    );
    await refusedWithoutChange(() => post(ann, randomUUID(), "where am I"), 404, "NOT_FOUND");
  });

  it("accepts a seed-style payload whose senderId and isFromSupport are the caller's own", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    const body = {
      message: "hi",
      clientMessageId: randomUUID(),
      senderId: ann.id,
      isFromSupport: false,
    };
    const res = await call(ann, "POST", `/chat/room/${room.id}/messages`, body);
    expect(restData(res, 201, ChatMessage).senderId).toBe(ann.id);
  });

  it("pages with after, before and limit, with paging info in headers", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    for (let i = 1; i <= 5; i++) restData(await post(ann, room.id, `m${i}`), 201, ChatMessage);
    const page = async (query: string) => {
      const res = await call(ann, "GET", `/chat/room/${room.id}/messages${query}`);
      const messages = restData(res, 200, z.array(ChatMessage));
      return {
        seqs: messages.map((m) => m.seq),
        hasMore: res.headers.get("x-has-more"),
        lastSeq: res.headers.get("x-last-seq"),
      };
    };
    expect(await page("")).toEqual({ seqs: [1, 2, 3, 4, 5], hasMore: "false", lastSeq: "5" });
    expect(await page("?limit=2")).toEqual({ seqs: [4, 5], hasMore: "true", lastSeq: "5" });
    expect(await page("?after=0&limit=2")).toEqual({ seqs: [1, 2], hasMore: "true", lastSeq: "5" });
    expect(await page("?after=2&limit=2")).toEqual({ seqs: [3, 4], hasMore: "true", lastSeq: "5" });
    expect(await page("?after=4")).toEqual({ seqs: [5], hasMore: "false", lastSeq: "5" });
    expect(await page("?before=3")).toEqual({ seqs: [1, 2], hasMore: "false", lastSeq: "5" });
    expect(await page("?before=5&limit=1")).toEqual({ seqs: [4], hasMore: "true", lastSeq: "5" });
  });

  it("refuses bad paging parameters", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    const path = `/chat/room/${room.id}/messages`;
    for (const query of [
      "?after=1&before=3",
      "?limit=0",
      "?limit=201",
      "?after=-1",
      "?after=x",
      "?before=0",
    ]) {
      expectRestError(await call(ann, "GET", `${path}${query}`), 400, "VALIDATION_FAILED");
    }
    expectRestError(await call(ann, "GET", "/chat/room/123/messages"), 400, "VALIDATION_FAILED");
    expectRestError(await call(h.person("customer"), "GET", path), 403, "FORBIDDEN");
  });

  it("POST /chat/room/:id/read marks the other side's messages read", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    restData(await post(ann, room.id, "one"), 201, ChatMessage);
    restData(await post(ann, room.id, "two"), 201, ChatMessage);
    const agent = h.person("agent");
    const read = restData(
      await call(agent, "POST", `/chat/room/${room.id}/read`, { upToSeq: 1 }),
      200,
      MarkReadResult,
    );
    expect(read).toMatchObject({ roomId: room.id, side: "support", upToSeq: 1, unreadCount: 1 });
    const all = restData(
      await call(agent, "POST", `/chat/room/${room.id}/read`),
      200,
      MarkReadResult,
    );
    expect(all).toMatchObject({ upToSeq: 2, unreadCount: 0 });
    await refusedWithoutChange(
      () => call(agent, "POST", `/chat/room/${room.id}/read`, { upToSeq: -1 }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("sending is rate-limited per user: a burst beyond the limit gets 429 RATE_LIMITED", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    // 10 per second plus a burst of 5: twenty at once cannot all pass.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(ann, room.id, `flood ${i}`)),
    );
    const accepted = results.filter((r) => r.status === 201);
    const limited = results.filter((r) => r.status === 429);
    expect(accepted.length + limited.length).toBe(20);
    expect(accepted.length).toBeLessThanOrEqual(15);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(expectRestError(limited[0]!, 429, "RATE_LIMITED").message).toMatch(/retry after/);
    const [row] = await h.sql<[{ count: number }]>`
      select count(*)::int as count from chat_messages where chat_room_id = ${room.id}`;
    expect(row.count).toBe(accepted.length);
  });
});

describe("support routes", () => {
  it("GET /chat/support/rooms lists rooms for agents, filtered by status and mine", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    const agent = h.person("agent");
    const waiting = restData(
      await call(agent, "GET", "/chat/support/rooms?status=waiting"),
      200,
      z.array(ChatRoom),
    );
    expect(waiting.map((r) => r.id)).toContain(room.id);
    expect(waiting.every((r) => r.status === "waiting")).toBe(true);
    restData(await call(agent, "POST", `/chat/support/room/${room.id}/assign`), 200, ChatRoom);
    const mine = restData(
      await call(agent, "GET", "/chat/support/rooms?mine=true"),
      200,
      z.array(ChatRoom),
    );
    expect(mine.map((r) => r.id)).toEqual([room.id]);
    const limited = restData(
      await call(agent, "GET", "/chat/support/rooms?limit=1"),
      200,
      z.array(ChatRoom),
    );
    expect(limited).toHaveLength(1);
  });

  it("refuses customers with 403 at the gateway and bad filters with 400", async () => {
    const ann = h.person("customer");
    await openRoom(ann);
    expectRestError(await call(ann, "GET", "/chat/support/rooms"), 403, "FORBIDDEN");
    const agent = h.person("agent");
    for (const query of ["?status=lost", "?mine=yes", "?limit=0", "?limit=501"]) {
      expectRestError(
        await call(agent, "GET", `/chat/support/rooms${query}`),
        400,
        "VALIDATION_FAILED",
      );
    }
  });

  it("POST /chat/support/room/:id/assign lets an agent claim a waiting room", async () => {
    const room = await openRoom(h.person("customer"));
    const agent = h.person("agent", "Bo");
    const claimed = restData(
      await call(agent, "POST", `/chat/support/room/${room.id}/assign`),
      200,
      ChatRoom,
    );
    expect(claimed).toMatchObject({
      id: room.id,
      status: "open",
      supportAgentId: agent.id,
      supportAgentName: "Bo",
    });
  });

  it("assign is refused to customers, for bad ids and for rooms another agent holds", async () => {
    const ann = h.person("customer");
    const room = await openRoom(ann);
    const path = `/chat/support/room/${room.id}/assign`;
    await refusedWithoutChange(() => call(ann, "POST", path), 403, "FORBIDDEN");
    await refusedWithoutChange(
      () => call(h.person("agent"), "POST", "/chat/support/room/x/assign"),
      400,
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(
      () => call(h.person("agent"), "POST", `/chat/support/room/${randomUUID()}/assign`),
      404,
      "NOT_FOUND",
    );
    restData(await call(h.person("agent"), "POST", path), 200, ChatRoom);
    await refusedWithoutChange(
      () => call(h.person("agent"), "POST", path),
      409,
      "ALREADY_ASSIGNED",
    );
  });

  it("assign goes through the assignment service: a claim past the agent's capacity gets 409", async () => {
    const agent = h.person("agent");
    setCapacityOk(await setCapacity(h.person("manager"), agent.id, 1), 1);
    const first = await openRoom(h.person("customer"));
    const second = await openRoom(h.person("customer"));
    restData(await call(agent, "POST", `/chat/support/room/${first.id}/assign`), 200, ChatRoom);
    const refusal = await refusedWithoutChange(
      () => call(agent, "POST", `/chat/support/room/${second.id}/assign`),
      409,
      "AGENT_AT_CAPACITY",
    );
    expect(refusal.message).toContain("1");
    expect(
      restData(await call(agent, "GET", `/chat/room/${second.id}`), 200, ChatRoom),
    ).toMatchObject({ status: "waiting", supportAgentId: null });
  });

  it("POST /chat/support/room/:id/transfer hands a room to another agent who is online", async () => {
    const room = await openRoom(h.person("customer"));
    const bo = h.person("agent", "Bo");
    const cy = await onlineAgent("Cy");
    restData(await call(bo, "POST", `/chat/support/room/${room.id}/assign`), 200, ChatRoom);
    const moved = restData(
      await call(bo, "POST", `/chat/support/room/${room.id}/transfer`, { agentId: cy.id }),
      200,
      ChatRoom,
    );
    expect(moved).toMatchObject({ supportAgentId: cy.id, supportAgentName: "Cy", status: "open" });
    const agents = await listAgents(cy);
    expect(agents.find((a) => a.agentId === cy.id)).toMatchObject({ online: true, load: 1 });
  });

  it("transfer is refused for bad input, unknown rooms and agents, absent or full agents and other agents' rooms", async () => {
    const room = await openRoom(h.person("customer"));
    const bo = h.person("agent", "Bo");
    restData(await call(bo, "POST", `/chat/support/room/${room.id}/assign`), 200, ChatRoom);
    const cy = await onlineAgent("Cy");
    const path = `/chat/support/room/${room.id}/transfer`;
    await refusedWithoutChange(() => call(bo, "POST", path, {}), 400, "VALIDATION_FAILED");
    await refusedWithoutChange(
      () => call(bo, "POST", path, { agentId: "" }),
      400,
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(
      () => call(bo, "POST", "/chat/support/room/nope/transfer", { agentId: cy.id }),
      400,
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(
      () => call(h.person("customer"), "POST", path, { agentId: cy.id }),
      403,
      "FORBIDDEN",
    );
    await refusedWithoutChange(
      () => call(bo, "POST", `/chat/support/room/${randomUUID()}/transfer`, { agentId: cy.id }),
      404,
      "NOT_FOUND",
    );
    await refusedWithoutChange(
      () => call(bo, "POST", path, { agentId: `agent-${randomUUID()}` }),
      404,
      "NOT_FOUND",
    );
    // Someone else's room: only its agent or a manager may hand it on.
    await refusedWithoutChange(
      () => call(h.person("agent"), "POST", path, { agentId: cy.id }),
      403,
      "FORBIDDEN",
    );
    const gone = await onlineAgent("Gone");
    closeSocketOf(gone);
    await eventually(
      () => listAgents(bo),
      (agents) => agents.some((a) => a.agentId === gone.id && !a.online),
    );
    await refusedWithoutChange(
      () => call(bo, "POST", path, { agentId: gone.id }),
      409,
      "AGENT_NOT_AVAILABLE",
    );
    const full = await onlineAgent("Full");
    setCapacityOk(await setCapacity(h.person("admin"), full.id, 1), 1);
    const theirs = await openRoom(h.person("customer"));
    restData(await call(full, "POST", `/chat/support/room/${theirs.id}/assign`), 200, ChatRoom);
    await refusedWithoutChange(
      () => call(bo, "POST", path, { agentId: full.id }),
      409,
      "AGENT_AT_CAPACITY",
    );
    expect(
      restData(await call(bo, "GET", `/chat/room/${room.id}`), 200, ChatRoom).supportAgentId,
    ).toBe(bo.id);
  });
});

describe("agents and their capacity", () => {
  it("GET /chat/support/agents shows who is online and how loaded, to support staff only", async () => {
    const dee = await onlineAgent("Dee");
    const room = await openRoom(h.person("customer"));
    restData(await call(dee, "POST", `/chat/support/room/${room.id}/assign`), 200, ChatRoom);
    // The assignment time comes from the event log, a moment after the claim is answered.
    const agents = await eventually(
      () => listAgents(h.person("manager")),
      (list) => list.some((a) => a.agentId === dee.id && a.lastAssignedAt !== null),
    );
    expect(agents.find((a) => a.agentId === dee.id)).toMatchObject({
      agentName: "Dee",
      role: "agent",
      status: "available",
      online: true,
      load: 1,
      maxChats: 3,
    });
    closeSocketOf(dee);
    await eventually(
      () => listAgents(dee),
      (agents) => agents.some((a) => a.agentId === dee.id && !a.online && a.load === 1),
    );
    expectRestError(
      await call(h.person("customer"), "GET", "/chat/support/agents"),
      403,
      "FORBIDDEN",
    );
  });

  it("PUT /chat/support/agents/:agentId/capacity lets managers and admins set it, and null resets it", async () => {
    const eve = await onlineAgent("Eve");
    const set = setCapacityOk(await setCapacity(h.person("manager"), eve.id, 5), 5);
    expect(set).toMatchObject({ agentId: eve.id, agentName: "Eve", online: true });
    expect((await listAgents(eve)).find((a) => a.agentId === eve.id)?.maxChats).toBe(5);
    expect(await storedCapacity(eve.id)).toBe(5);
    setCapacityOk(await setCapacity(h.person("admin"), eve.id, 0), 0);
    setCapacityOk(await setCapacity(h.person("admin"), eve.id, null), 3);
    expect(await storedCapacity(eve.id)).toBeNull();
  });

  it("capacity is refused to customers and agents, and bad values, with nothing changed", async () => {
    const fay = await onlineAgent("Fay");
    setCapacityOk(await setCapacity(h.person("manager"), fay.id, 2), 2);
    const unchanged = async () => {
      expect(await storedCapacity(fay.id)).toBe(2);
      expect((await listAgents(fay)).find((a) => a.agentId === fay.id)?.maxChats).toBe(2);
    };
    expectRestError(await setCapacity(h.person("customer"), fay.id, 4), 403, "FORBIDDEN");
    await unchanged();
    // An agent passes the gateway's check for support staff; the assignment service refuses.
    expectRestError(await setCapacity(fay, fay.id, 4), 403, "FORBIDDEN");
    await unchanged();
    const manager = h.person("manager");
    for (const body of [
      { maxChats: 51 },
      { maxChats: -1 },
      { maxChats: 1.5 },
      { maxChats: "4" },
      {},
    ]) {
      expectRestError(
        await call(manager, "PUT", `/chat/support/agents/${fay.id}/capacity`, body),
        400,
        "VALIDATION_FAILED",
      );
    }
    expectRestError(await setCapacity(manager, "x".repeat(129), 4), 400, "VALIDATION_FAILED");
    await unchanged();
  });

  it("allows PUT from the configured origin (the console sets capacities)", async () => {
    const preflight = await fetch(`${h.url}/api/chat/support/agents/a/capacity`, {
      method: "OPTIONS",
      headers: { origin: "http://shop.test", "access-control-request-method": "PUT" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
  });
});

describe("queue position", () => {
  const position = async (who: Person, roomId: string) =>
    restData(
      await call(who, "GET", `/chat/room/${roomId}/queue`),
      200,
      assignmentQueries.queuePosition.reply,
    );

  it("GET /chat/room/:id/queue tells the customer where their room stands, and agents too", async () => {
    const ann = h.person("customer");
    const ben = h.person("customer");
    const first = await openRoom(ann);
    const second = await openRoom(ben);
    const mine = await eventually(
      () => position(ben, second.id),
      (p) => p.position !== null,
    );
    const ahead = await position(ann, first.id);
    expect(ahead.position).toBe(mine.position! - 1);
    expect(ahead).toMatchObject({ roomId: first.id, agentsOnline: expect.any(Number) });
    expect((await position(h.person("agent"), second.id)).position).toBe(mine.position);

    restData(
      await call(h.person("agent"), "POST", `/chat/support/room/${first.id}/assign`),
      200,
      ChatRoom,
    );
    await eventually(
      () => position(ben, second.id),
      (p) => p.position === mine.position! - 1,
    );
    expect(await position(ann, first.id)).toMatchObject({
      position: null,
      estimatedWaitSeconds: null,
    });
  });

  it("is refused for another customer's room, unknown rooms and bad ids", async () => {
    const room = await openRoom(h.person("customer"));
    const other = h.person("customer");
    expectRestError(await call(other, "GET", `/chat/room/${room.id}/queue`), 403, "FORBIDDEN");
    expectRestError(await call(other, "GET", `/chat/room/${randomUUID()}/queue`), 404, "NOT_FOUND");
    expectRestError(
      await call(h.person("agent"), "GET", `/chat/room/${randomUUID()}/queue`),
      404,
      "NOT_FOUND",
    );
    expectRestError(await call(other, "GET", "/chat/room/x/queue"), 400, "VALIDATION_FAILED");
  });
});

describe("authentication", () => {
  it("refuses a missing, malformed, forged or expired token and changes nothing", async () => {
    const forged = signToken("another-secret-of-enough-length-0123456789", {
      sub: "x",
      name: "X",
      role: "admin",
    });
    const expired = signToken(h.secret, { sub: "x", name: "X", role: "customer" }, -10);
    const unknownRole = signToken(h.secret, { sub: "x", name: "X", role: "root" });
    const as = (token: string): Person => ({ id: "x", name: "X", role: "customer", token });
    await refusedWithoutChange(() => call(null, "GET", "/chat/room"), 401, "UNAUTHENTICATED");
    await refusedWithoutChange(() => call(as("junk"), "GET", "/chat/room"), 401, "UNAUTHENTICATED");
    await refusedWithoutChange(() => call(as(forged), "GET", "/chat/room"), 401, "UNAUTHENTICATED");
    await refusedWithoutChange(
      () => call(as(unknownRole), "GET", "/chat/room"),
      401,
      "UNAUTHENTICATED",
    );
    await refusedWithoutChange(() => call(as(expired), "GET", "/chat/room"), 401, "TOKEN_EXPIRED");
  });
});

describe("dev tokens", () => {
  it("POST /api/auth/dev-token mints a working token with a stable id when enabled", async () => {
    const mint = async () =>
      restData(
        await call(null, "POST", "/auth/dev-token", { name: "Dana Demo", role: "customer" }),
        200,
        DevTokenResponse,
      );
    const first = await mint();
    expect((await mint()).user.id).toBe(first.user.id);
    const dana: Person = { ...first.user, token: first.token };
    expect((await openRoom(dana)).userId).toBe(first.user.id);
    expectRestError(
      await call(null, "POST", "/auth/dev-token", { name: "", role: "customer" }),
      400,
      "VALIDATION_FAILED",
    );
    expectRestError(
      await call(null, "POST", "/auth/dev-token", { name: "Eve", role: "root" }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("is not there (404) when AUTH_DEV_LOGIN is off", async () => {
    const plain = await h.startGateway({ AUTH_DEV_LOGIN: "false" });
    const res = await rest(plain.url, null, "POST", "/auth/dev-token", {
      name: "Eve",
      role: "admin",
    });
    expectRestError(res, 404, "NOT_FOUND");
  });
});

describe("edge behaviour", () => {
  it("echoes a safe X-Correlation-Id and replaces an unsafe one", async () => {
    const ann = h.person("customer");
    const given = await rest(h.url, ann, "GET", "/chat/room", undefined, {
      "x-correlation-id": "trace-123",
    });
    expect(given.headers.get("x-correlation-id")).toBe("trace-123");
    const unsafe = await rest(h.url, ann, "GET", "/chat/room", undefined, {
      "x-correlation-id": "a b;c",
    });
    expect(unsafe.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("records the correlation id of the request in the event's metadata", async () => {
    const ann = h.person("customer");
    const correlationId = `corr-${randomUUID()}`;
    const res = await rest(h.url, ann, "GET", "/chat/room", undefined, {
      "x-correlation-id": correlationId,
    });
    const room = restData(res, 200, ChatRoom);
    const [row] = await h.sql<[{ correlation: string }]>`
      select metadata->>'correlationId' as correlation from events
      where stream_id = ${`room-${room.id}`} order by stream_position limit 1`;
    expect(row.correlation).toBe(correlationId);
  });

  it("answers unknown routes with 404 NOT_FOUND", async () => {
    expectRestError(await call(h.person("customer"), "GET", "/chat/rooms"), 404, "NOT_FOUND");
    expectRestError(await rest(h.url, null, "GET", "/../nothing"), 404, "NOT_FOUND");
  });

  it("allows the configured origin and no other", async () => {
    const preflight = await fetch(`${h.url}/api/chat/room`, {
      method: "OPTIONS",
      headers: { origin: "http://shop.test", "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://shop.test");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
    const other = await fetch(`${h.url}/api/chat/room`, {
      headers: { origin: "http://evil.test" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves /healthz, /readyz and /metrics", async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { nats: "ok", redis: "ok" } });
    await call(h.person("customer"), "GET", "/chat/room");
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_rest_requests_total\{[^}]*route="openRoom",outcome="ok"/);
    expect(metrics).toMatch(
      /gateway_nats_request_duration_seconds_count\{[^}]*operation="openRoom",outcome="ok"/,
    );
  });
});
