import { randomUUID } from "node:crypto";
import { parse as parseQuery } from "node:querystring";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CapacityBody,
  ChatRoom,
  clientEvents,
  DevTokenBody,
  MarkReadBody,
  MessagesQuery,
  PostMessageBody,
  SupportRoomsQuery,
  AddLabelBody,
  AddNoteBody,
  normalizeLabel,
  SearchQuery,
  TransferBody,
  type ClientEventName,
} from "@support-chat/contracts";
import type { ChatSocket, Person } from "@support-chat/system-tests/src/clients.js";
import { api, connectAs, emitRaw, ErrorAck, http, restErrorOf } from "../src/calls.js";
import { cannedFuzzCases } from "../src/canned-cases.js";
import { reportFuzzCases } from "../src/report-cases.js";
import { malformedFrom, notAnObject } from "../src/malformed.js";
import { attachmentCases } from "../src/attachment-cases.js";
import { startProcessWorld, type ProcessWorld } from "../src/world.js";
import { webhookFuzzCases } from "../src/webhook-cases.js";

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const PER_SOCKET_EVENT = 1100;
const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number, salt: number) =>
  fc.sample(arb, { numRuns, seed: SEED + salt });

let w: ProcessWorld;
let customer: Person;
let agent: Person;
let roomId: string;
let sockets: ChatSocket[] = [];
let sent = 0;

beforeAll(async () => {
  w = await startProcessWorld();
  customer = w.person("customer", "Fuzz Customer");
  agent = w.person("agent", "Fuzz Agent");
  roomId = ChatRoom.parse((await api(w.url, customer, "GET", "/chat/room")).body).id;
  await api(w.url, customer, "POST", `/chat/room/${roomId}/messages`, {
    message: "before the storm",
    clientMessageId: "calm",
  });
  await api(w.url, agent, "POST", `/chat/support/room/${roomId}/assign`);
  sockets = await Promise.all(
    [customer, agent, w.person("manager"), w.person("admin")].map((p) => connectAs(w.url, p)),
  );
}, 120_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await w?.stop();
});

/** Runs `work` over `items`, `width` at a time. */
const inParallel = async <T>(
  items: T[],
  width: number,
  work: (item: T, i: number) => Promise<void>,
) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
};

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text;
};

describe(`fuzzing every socket event and REST route (seed ${SEED})`, () => {
  let before: Awaited<ReturnType<ProcessWorld["snapshot"]>>;
  beforeAll(async () => {
    before = await w.snapshot();
  });

  const validPayloads = (): Record<ClientEventName, Record<string, unknown>> => ({
    register: { userId: customer.id },
    joinRoom: { roomId },
    leaveRoom: { roomId },
    sendMessage: { roomId, message: "hello", clientMessageId: "fuzz-valid" },
    typing: { roomId, isTyping: true },
    markRead: { roomId, upToSeq: 1 },
    setStatus: { status: "available" },
  });

  it.for(Object.keys(clientEvents) as ClientEventName[])(
    `answers ${PER_SOCKET_EVENT} malformed %s payloads each with a clear VALIDATION_FAILED`,
    async (event, { expect }) => {
      const schema = clientEvents[event].payload;
      const payloads: unknown[] = sample(
        malformedFrom(schema, validPayloads()[event]),
        PER_SOCKET_EVENT,
        event.length,
      );
      const failures: string[] = [];
      const check = (payload: unknown, reply: unknown) => {
        const parsed = ErrorAck.safeParse(reply);
        if (!parsed.success || parsed.data.error.code !== "VALIDATION_FAILED") {
          failures.push(`${show(payload)} → ${show(reply)}`);
        }
      };
      await inParallel(payloads, 64, async (payload, i) => {
        const socket = sockets[i % sockets.length]!;
        check(payload, await emitRaw(socket, event, payload).catch((e: unknown) => `no ack: ${e}`));
      });
      // No payload at all: the ack function comes first.
      check(undefined, await emitRaw(sockets[0]!, event));
      sent += payloads.length + 1;
      expect(failures.slice(0, 8), `${failures.length} unclear answers`).toEqual([]);
    },
  );

  type RestCase = {
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    path: string;
    who: Person | null;
    headers?: Record<string, string>;
    body?: string;
  };
  const json = (body: unknown) => JSON.stringify(body);
  const roomRoutes = [
    ["GET", ""],
    ["GET", "/messages"],
    ["POST", "/messages"],
    ["POST", "/read"],
    ["POST", "/close"],
    ["GET", "/queue"],
    ["POST", "/attachments"],
    ["GET", "/attachments/00000000-0000-4000-8000-000000000000"],
  ] as const;

  /** Notes and labels of a room, with hostile room ids, and labels no normaliser accepts. */
  const notesLabelsById = (): RestCase[] => {
    const badIds = (salt: number) =>
      sample(
        fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s !== "."),
        60,
        salt,
      ).map(encodeURIComponent);
    const routes = [
      ["GET", "notes"],
      ["POST", "notes"],
      ["POST", "labels"],
      ["DELETE", "labels/refund"],
    ] as const;
    const refusedLabel = (label: string) => {
      try {
        normalizeLabel(label);
        return false;
      } catch {
        return true;
      }
    };
    const badLabels = sample(
      fc
        .oneof(
          fc.string({ maxLength: 40 }),
          fc.string({ unit: "grapheme", maxLength: 40 }),
          fc.constantFrom("a--b", "<b>", "x".repeat(300), "%00", "..", "' or 1=1"),
        )
        .filter((l) => l.length > 0 && l !== "." && l !== ".." && refusedLabel(l)),
      150,
      214,
    );
    return [
      ...routes.flatMap(([method, action], r) =>
        badIds(210 + r).map((id) => ({
          method,
          path: `/api/chat/support/room/${id}/${action}`,
          who: agent,
          headers: { "content-type": "application/json" },
          body: method === "POST" ? json({ text: "n", clientNoteId: "k", label: "x" }) : undefined,
        })),
      ),
      ...badLabels.map((label) => ({
        method: "DELETE" as const,
        path: `/api/chat/support/room/${roomId}/labels/${encodeURIComponent(label)}`,
        who: agent,
      })),
    ];
  };

  const restCases = (): RestCase[] => {
    const hostileIds = fc
      .oneof(
        fc.string({ maxLength: 60 }).filter((s) => s.length > 0),
        fc.uuid().map((u) => u.toUpperCase().replace(/-/g, "")),
        fc.uuid(),
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
        fc.integer({ min: 200, max: 4000 }).map((n) => "9".repeat(n)),
        fc.constantFrom("..", "../..", "%2e%2e%2f", "null", "undefined", "' or 1=1", "\u0000"),
      )
      // A lone "." is a dot segment: the HTTP client resolves `/room/.` to `/room/` before
      // sending, so the gateway would rightly answer GET /room instead of seeing a bad id.
      .filter((id) => id !== ".");
    const ids = (salt: number, n: number) => sample(hostileIds, n, salt).map(encodeURIComponent);
    const byId: RestCase[] = [
      ...roomRoutes.flatMap(([method, suffix], r) =>
        ids(100 + r, 100).map((id) => ({
          method,
          path: `/api/chat/room/${id}${suffix}`,
          who: customer,
          headers: { "content-type": "application/json" },
          body: method === "POST" ? json({ message: "hi", clientMessageId: "k1" }) : undefined,
        })),
      ),
      ...notesLabelsById(),
      ...["assign", "transfer"].flatMap((action, r) =>
        ids(200 + r, 100).map((id) => ({
          method: "POST" as const,
          path: `/api/chat/support/room/${id}/${action}`,
          who: agent,
          headers: { "content-type": "application/json" },
          body: json({ agentId: agent.id }),
        })),
      ),
    ];
    const queryValue = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.integer().map(String),
      fc.double().map(String),
      fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 }),
      fc.constantFrom("-1", "1.5", "1e400", "0x10", "", "waiting,,", "open,closed,bogus", "TRUE"),
    );
    const queries = (
      keys: string[],
      schema: { safeParse: (v: unknown) => { success: boolean } },
      salt: number,
      n: number,
    ) =>
      sample(
        fc
          .dictionary(fc.constantFrom(...keys), queryValue, { minKeys: 1, maxKeys: keys.length })
          .map((q) =>
            new URLSearchParams(
              Object.entries(q).flatMap(([k, v]): Array<[string, string]> =>
                Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]],
              ),
            ).toString(),
          )
          .filter((qs) => !schema.safeParse(parseQuery(qs)).success),
        n,
        salt,
      );
    const byQuery: RestCase[] = [
      ...queries(["after", "before", "limit"], MessagesQuery, 300, 400).map((qs) => ({
        method: "GET" as const,
        path: `/api/chat/room/${roomId}/messages?${qs}`,
        who: customer,
      })),
      ...queries(["q", "label", "limit", "offset"], SearchQuery, 302, 300).map((qs) => ({
        method: "GET" as const,
        path: `/api/chat/support/search?${qs}`,
        who: agent,
      })),
      ...queries(["status", "mine", "limit"], SupportRoomsQuery, 301, 300).map((qs) => ({
        method: "GET" as const,
        path: `/api/chat/support/rooms?${qs}`,
        who: agent,
      })),
    ];
    const bodies = (
      path: string,
      who: Person | null,
      schema: Parameters<typeof malformedFrom>[0],
      valid: Record<string, unknown>,
      salt: number,
      n: number,
      method: "POST" | "PUT" = "POST",
    ): RestCase[] =>
      sample(malformedFrom(schema, valid), n, salt).map((body) => ({
        method,
        path,
        who,
        headers: { "content-type": "application/json" },
        body: json(body),
      }));
    const byBody: RestCase[] = [
      ...bodies(
        `/api/chat/support/room/${roomId}/notes`,
        agent,
        AddNoteBody,
        { text: "a note", clientNoteId: "k" },
        406,
        300,
      ),
      ...bodies(
        `/api/chat/support/room/${roomId}/labels`,
        agent,
        AddLabelBody,
        { label: "refund" },
        407,
        200,
      ),
      ...bodies(
        `/api/chat/room/${roomId}/messages`,
        customer,
        PostMessageBody,
        { message: "hi", clientMessageId: "k" },
        400,
        500,
      ),
      ...bodies(`/api/chat/room/${roomId}/read`, customer, MarkReadBody, { upToSeq: 1 }, 401, 300),
      ...bodies(
        `/api/chat/support/room/${roomId}/transfer`,
        agent,
        TransferBody,
        { agentId: agent.id },
        402,
        300,
      ),
      ...bodies(
        `/api/chat/support/agents/${encodeURIComponent(agent.id)}/capacity`,
        agent,
        CapacityBody,
        { maxChats: 2 },
        404,
        200,
        "PUT",
      ),
      ...ids(405, 100).map((id) => ({
        method: "PUT" as const,
        path: `/api/chat/support/agents/${id}/capacity`,
        // An agent: a well-formed request is refused (only managers set capacities).
        who: agent,
        headers: { "content-type": "application/json" },
        body: json({ maxChats: 1 }),
      })),
      ...bodies(
        "/api/auth/dev-token",
        null,
        DevTokenBody,
        { name: "Dev", role: "customer" },
        403,
        300,
      ),
    ];
    const rawBodies = sample(
      fc.oneof(
        fc.string({ maxLength: 200 }).map((body) => ({ type: "application/json", body })),
        notAnObject.map((v) => ({ type: "application/json", body: json(v) })),
        fc.constantFrom(
          { type: "application/json", body: '{"message": "unterminated' },
          { type: "application/json", body: '{"__proto__": {"role": "admin"}, "message": 1}' },
          { type: "text/plain", body: json({ message: "hi", clientMessageId: "plain" }) },
          { type: "application/x-www-form-urlencoded", body: "message=hi&clientMessageId=form" },
        ),
      ),
      300,
      500,
    ).map(({ type, body }, i) => ({
      method: "POST" as const,
      // Not the read receipt: an absent body is a valid "read everything" there.
      path:
        i % 2 === 0
          ? `/api/chat/room/${roomId}/messages`
          : `/api/chat/support/room/${roomId}/transfer`,
      who: i % 2 === 0 ? customer : agent,
      headers: { "content-type": type },
      body,
    }));
    return [
      ...byId,
      ...byQuery,
      ...byBody,
      ...rawBodies,
      ...attachmentCases(roomId, customer, sample),
      ...webhookFuzzCases(w.person("manager", "Webhook Manager"), randomUUID(), sample),
      ...cannedFuzzCases({ manager: w.person("manager", "Fuzz Manager"), agent, customer, sample }),
      ...reportFuzzCases({ manager: w.person("manager", "Report Manager"), sample }),
    ];
  };

  it("answers thousands of malformed REST requests on every route with a clear 4xx error", async () => {
    const cases = restCases();
    const failures: string[] = [];
    await inParallel(cases, 24, async (c) => {
      const reply = await http(w.url, c.method, c.path, {
        headers: { ...(c.who ? { authorization: `Bearer ${c.who.token}` } : {}), ...c.headers },
        body: c.body,
      }).catch((e: unknown) => ({
        status: 0,
        text: String(e),
        body: undefined,
        headers: new Headers(),
      }));
      try {
        const error = restErrorOf(reply);
        if (reply.status >= 500) throw new Error(`${error.code}`);
      } catch (e) {
        failures.push(
          `${c.method} ${c.path.slice(0, 120)} ${show(c.body)} → ${reply.status} ${reply.text.slice(0, 120)} (${String(e).slice(0, 80)})`,
        );
      }
    });
    sent += cases.length;
    expect(cases.length).toBeGreaterThanOrEqual(3000);
    expect(failures.slice(0, 8), `${failures.length} of ${cases.length} unclear answers`).toEqual(
      [],
    );
  });

  it("answers a path with broken percent-encoding with a clear 400, on every route with an id", async () => {
    const failures: string[] = [];
    const paths = [
      ...roomRoutes.map(
        ([method, suffix]) => [method, (id: string) => `/api/chat/room/${id}${suffix}`] as const,
      ),
      ...(["assign", "transfer"] as const).map(
        (action) => ["POST", (id: string) => `/api/chat/support/room/${id}/${action}`] as const,
      ),
    ];
    for (const [method, path] of paths) {
      for (const id of ["%E0%A4%A", "%", "%zz", "%c0%af", "%u0000"]) {
        const reply = await http(w.url, method, path(id), {
          headers: {
            authorization: `Bearer ${path(id).includes("support") ? agent.token : customer.token}`,
          },
        });
        sent++;
        if (reply.status !== 400 || restErrorOf(reply).code !== "VALIDATION_FAILED") {
          failures.push(`${method} ${path(id)} → ${reply.status} ${reply.text.slice(0, 100)}`);
        }
      }
    }
    expect(
      failures.slice(0, 6),
      `${failures.length} of ${paths.length * 5} not a clear 400`,
    ).toEqual([]);
  });

  it("sent at least 10,000 malformed payloads, and the event log and projections did not change", async () => {
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(await w.changesSince(before)).toEqual([]);
  });

  it("left every process alive, answering /healthz, and a normal conversation still works", async () => {
    for (const p of w.processes) {
      const health = await http(p.url, "GET", "/healthz");
      expect(health.status, `${p.name}: ${p.output.join("").slice(-2000)}`).toBe(200);
    }
    const [customerSocket, agentSocket] = sockets as [ChatSocket, ChatSocket];
    expect(await emitRaw(agentSocket, "joinRoom", { roomId })).toMatchObject({ status: "OK" });
    const delivered = new Promise((resolve) =>
      agentSocket.on("newMessage", (m) => m.clientMessageId === "after-storm" && resolve(m)),
    );
    const reply = await emitRaw(customerSocket, "sendMessage", {
      roomId,
      message: "are you still there?",
      clientMessageId: "after-storm",
    });
    expect(reply).toMatchObject({ status: "OK", data: { seq: 2 } });
    expect(await delivered).toMatchObject({ message: "are you still there?", seq: 2 });
    const answer = await api(w.url, agent, "POST", `/chat/room/${roomId}/messages`, {
      message: "Still here.",
      clientMessageId: "answer",
    });
    expect(answer.status).toBe(201);
  });
});
