import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CannedResponse,
  CannedResponseChangedPush,
  HTTP_STATUS_OF,
  RestError,
  type ErrorCode,
} from "@support-chat/contracts";
import { ChatClient, person, rest, type Person } from "../src/clients.js";
import { startStack, type Stack } from "../src/stack.js";

const PATH = "/chat/support/canned-responses";
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

let stack: Stack;
let sql: postgres.Sql;
let manager: Person;
let admin: Person;
let agent: Person;
let customer: Person;
const clients: ChatClient[] = [];

beforeAll(async () => {
  stack = await startStack({ env: { ROUTING_POLICY: "manual" } });
  sql = postgres(stack.database.url, { max: 2, onnotice: () => undefined });
  manager = person(stack.jwtSecret, "manager", "Mia Manager");
  admin = person(stack.jwtSecret, "admin", "Al Admin");
  agent = person(stack.jwtSecret, "agent", "Andy Agent");
  customer = person(stack.jwtSecret, "customer", "Carla Customer");
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sql?.end();
  await stack?.stop();
});

const call = (who: Person | null, method: string, path: string, body?: unknown) =>
  rest(stack.gatewayUrl, who, method, path, body);

/** Everything a refusal must leave alone: the log and the projection. */
const state = async () => {
  const [row] = await sql<{ events: number; canned: string }[]>`select
    (select count(*) from events)::int as events,
    (select coalesce(md5(string_agg(c::text, '|' order by id)), '') from canned_responses c) as canned`;
  return row!;
};

/** A refusal with the code's own HTTP status and a message, that changed nothing. */
const refused = async (
  code: ErrorCode,
  who: Person | null,
  method: string,
  path: string,
  body?: unknown,
) => {
  const before = await state();
  const reply = await call(who, method, path, body);
  const error = RestError.parse(reply.body).error;
  expect({ status: reply.status, code: error.code }, error.message).toEqual({
    status: HTTP_STATUS_OF[code],
    code,
  });
  expect(error.message.length).toBeGreaterThan(0);
  expect(await state()).toEqual(before);
  return error;
};

const create = async (who: Person, fields: { title: string; shortcut: string; text: string }) => {
  const reply = await call(who, "POST", PATH, fields);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return CannedResponse.parse(reply.body);
};

const list = async (who: Person) => {
  const reply = await call(who, "GET", PATH);
  expect(reply.status).toBe(200);
  return CannedResponse.array().parse(reply.body);
};

describe("canned responses through the gateway, NATS and Postgres", () => {
  it("a manager creates, edits and deletes; agents list them and every console hears of it", async () => {
    const agentSocket = await ChatClient.connect(stack.gatewayUrl, agent);
    const customerSocket = await ChatClient.connect(stack.gatewayUrl, customer);
    clients.push(agentSocket, customerSocket);

    const created = await create(manager, {
      title: "Refund policy",
      shortcut: "/Refund",
      text: "  Refunds reach your account within 5 working days.  ",
    });
    expect(created).toMatchObject({
      shortcut: "refund",
      text: "Refunds reach your account within 5 working days.",
      version: 1,
      updatedByName: "Mia Manager",
    });
    expect(await list(agent)).toContainEqual(created);
    const savedPush = await agentSocket.waitFor(
      "cannedResponseChanged",
      (p) => p.change === "saved" && p.response.id === created.id,
    );
    expect(CannedResponseChangedPush.parse(savedPush)).toEqual({
      change: "saved",
      response: created,
    });

    const edited = await call(admin, "PUT", `${PATH}/${created.id}`, {
      version: 1,
      text: "Refunds reach your account within 3 working days.",
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: created.id,
      shortcut: "refund",
      text: "Refunds reach your account within 3 working days.",
      version: 2,
      updatedByName: "Al Admin",
    });
    await agentSocket.waitFor(
      "cannedResponseChanged",
      (p) => p.change === "saved" && p.response.version === 2,
    );

    // An edit made on the version before someone else's save is refused, not applied over it.
    const stale = await refused("CONFLICT", manager, "PUT", `${PATH}/${created.id}`, {
      version: 1,
      title: "Refunds",
    });
    expect(stale.message).toMatch(/version 2, not 1/);
    await refused("CONFLICT", manager, "DELETE", `${PATH}/${created.id}?version=1`);

    const deleted = await call(manager, "DELETE", `${PATH}/${created.id}?version=2`);
    expect(deleted).toMatchObject({ status: 200, body: { id: created.id, version: 3 } });
    expect((await list(agent)).map((r) => r.id)).not.toContain(created.id);
    await agentSocket.waitFor(
      "cannedResponseChanged",
      (p) => p.change === "deleted" && p.id === created.id && p.version === 3,
    );

    // The log has the whole story, in the response's own stream.
    const events = await sql`select type, stream_position from events
      where stream_id = ${`canned-${created.id}`} order by stream_position`;
    expect(events.map((e) => e.type)).toEqual([
      "CannedResponseCreated",
      "CannedResponseEdited",
      "CannedResponseDeleted",
    ]);
    // Customers' sockets are never told about canned responses.
    await customerSocket.send("register", { userId: customer.id });
    expect(customerSocket.all("cannedResponseChanged")).toEqual([]);
  });

  it("refuses customers on every route, changing nothing", async () => {
    const existing = await create(manager, { title: "Hi", shortcut: "hi", text: "Hello!" });
    await refused("FORBIDDEN", customer, "GET", PATH);
    await refused("FORBIDDEN", customer, "POST", PATH, { title: "x", shortcut: "x", text: "x" });
    await refused("FORBIDDEN", customer, "PUT", `${PATH}/${existing.id}`, {
      version: 1,
      text: "mine",
    });
    await refused("FORBIDDEN", customer, "DELETE", `${PATH}/${existing.id}`);
  });

  it("refuses agents every change, changing nothing", async () => {
    const existing = await create(manager, { title: "Bye", shortcut: "bye", text: "Goodbye!" });
    const error = await refused("FORBIDDEN", agent, "POST", PATH, {
      title: "Agent's own",
      shortcut: "mine",
      text: "Agents may not add these",
    });
    expect(error.message).toMatch(/managers and admins/);
    await refused("FORBIDDEN", agent, "PUT", `${PATH}/${existing.id}`, { version: 1, text: "x" });
    await refused("FORBIDDEN", agent, "DELETE", `${PATH}/${existing.id}`);
    // Not even for what does not exist: refused before anything is looked up.
    await refused("FORBIDDEN", agent, "DELETE", `${PATH}/${UNKNOWN}`);
  });

  it("refuses callers without a token", async () => {
    await refused("UNAUTHENTICATED", null, "GET", PATH);
    await refused("UNAUTHENTICATED", null, "POST", PATH, { title: "x", shortcut: "x", text: "x" });
    await refused("UNAUTHENTICATED", null, "DELETE", `${PATH}/${UNKNOWN}`);
  });

  it("refuses a shortcut another live response has, whatever its spelling", async () => {
    await create(manager, { title: "Shipping", shortcut: "shipping", text: "2-3 days." });
    const error = await refused("CONFLICT", admin, "POST", PATH, {
      title: "Shipping again",
      shortcut: " /SHIPPING ",
      text: "Another text",
    });
    expect(error.message).toMatch(/\/shipping is already used by "Shipping"/);
    const other = await create(manager, {
      title: "Returns",
      shortcut: "returns",
      text: "30 days.",
    });
    await refused("CONFLICT", manager, "PUT", `${PATH}/${other.id}`, {
      version: 1,
      shortcut: "shipping",
    });
  });

  it.each([
    ["no body", undefined, /invalid canned response/],
    ["an empty title", { title: " ", shortcut: "a", text: "b" }, /title is empty/],
    ["a shortcut with a space", { title: "a", shortcut: "a b", text: "b" }, /only letters a-z/],
    ["a shortcut with an umlaut", { title: "a", shortcut: "grüße", text: "b" }, /only letters/],
    ["a 33-character shortcut", { title: "a", shortcut: "s".repeat(33), text: "b" }, /32/],
    ["an empty text", { title: "a", shortcut: "a", text: "\n " }, /text is empty/],
    ["a text of 2001 characters", { title: "a", shortcut: "a", text: "x".repeat(2001) }, /2000/],
    ["a NUL in the text", { title: "a", shortcut: "a", text: "a\u0000" }, /NUL/],
    ["a number for a title", { title: 7, shortcut: "a", text: "b" }, /title/],
    ["a missing text", { title: "a", shortcut: "a" }, /text/],
  ])("refuses a create with %s", async (_what, body, message) => {
    const error = await refused("VALIDATION_FAILED", manager, "POST", PATH, body);
    expect(error.message).toMatch(message);
  });

  it("refuses edits and deletes that are malformed or name no response", async () => {
    const existing = await create(manager, { title: "Thanks", shortcut: "thx", text: "Thanks!" });
    const at = `${PATH}/${existing.id}`;
    await refused("VALIDATION_FAILED", manager, "PUT", at, { version: 1 });
    await refused("VALIDATION_FAILED", manager, "PUT", at, { text: "no version" });
    await refused("VALIDATION_FAILED", manager, "PUT", at, { version: 0, text: "x" });
    await refused("VALIDATION_FAILED", manager, "PUT", at, { version: 1, shortcut: "no way" });
    await refused("VALIDATION_FAILED", manager, "PUT", `${PATH}/not-a-uuid`, { version: 1 });
    await refused("VALIDATION_FAILED", manager, "DELETE", `${PATH}/not-a-uuid`);
    await refused("VALIDATION_FAILED", manager, "DELETE", `${at}?version=first`);
    await refused("NOT_FOUND", manager, "PUT", `${PATH}/${UNKNOWN}`, { version: 1, text: "x" });
    await refused("NOT_FOUND", admin, "DELETE", `${PATH}/${UNKNOWN}`);
    expect(await list(agent)).toContainEqual(existing);
  });

  it("lets exactly one of concurrent creates of one shortcut through the gateway win", async () => {
    const before = await state();
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(i % 2 ? manager : admin, "POST", PATH, {
          title: `Contender ${i}`,
          shortcut: "race",
          text: `Text ${i}`,
        }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect((await list(agent)).filter((r) => r.shortcut === "race")).toHaveLength(1);
    expect((await state()).events).toBe(before.events + 1);
  });
});
