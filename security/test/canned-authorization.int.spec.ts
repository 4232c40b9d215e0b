import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { CannedResponse, CannedResponseChangedPush, type ErrorCode } from "@support-chat/contracts";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import { api, connectAs, restErrorOf, type RawReply } from "../src/calls.js";
import {
  CALLERS,
  callerOf,
  stage,
  supportOnly,
  type CallerKind,
  type Expectations,
} from "../src/scene.js";
import { startWorld, type World } from "../src/world.js";

/**
 * The canned-response routes in the role matrix: support staff read the catalog, only managers
 * and admins change it, customers and the signed-out get nothing; a refusal changes nothing.
 * (Canned responses belong to no room, so own and other room make no difference here.)
 */
let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

const PATH = "/chat/support/canned-responses";

/** Managers and admins only. */
const managersOnly: Expectations = {
  ...supportOnly,
  "agent/own": "FORBIDDEN",
  "agent/other": "FORBIDDEN",
};

type CannedRoute = {
  route: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: (target: CannedResponse) => string;
  body?: () => unknown;
  expect: Expectations;
  verify: (reply: RawReply, target: CannedResponse, caller: Person) => void;
};

const routes: CannedRoute[] = [
  {
    route: `GET ${PATH}`,
    method: "GET",
    path: () => PATH,
    expect: supportOnly,
    verify: (r, target) => expect(CannedResponse.array().parse(r.body)).toContainEqual(target),
  },
  {
    route: `POST ${PATH}`,
    method: "POST",
    path: () => PATH,
    body: () => ({ title: "Probe", shortcut: `probe-${randomUUID().slice(0, 8)}`, text: "Hi" }),
    expect: managersOnly,
    verify: (r, _t, caller) => {
      expect(r.status).toBe(201);
      expect(CannedResponse.parse(r.body)).toMatchObject({ title: "Probe", version: 1 });
      expect(CannedResponse.parse(r.body).updatedByName).toBe(caller.name);
    },
  },
  {
    route: `PUT ${PATH}/:id`,
    method: "PUT",
    path: (t) => `${PATH}/${t.id}`,
    body: () => ({ version: 1, text: "Changed by the probe" }),
    expect: managersOnly,
    verify: (r, t) =>
      expect(CannedResponse.parse(r.body)).toMatchObject({
        id: t.id,
        text: "Changed by the probe",
        version: 2,
      }),
  },
  {
    route: `DELETE ${PATH}/:id`,
    method: "DELETE",
    path: (t) => `${PATH}/${t.id}?version=1`,
    expect: managersOnly,
    verify: (r, t) => expect(r.body).toEqual({ id: t.id, version: 2 }),
  },
];

/** A canned response of its own for each cell, made by a manager who is not the caller. */
const aCannedResponse = async (): Promise<CannedResponse> => {
  const reply = await api(w.url, w.person("manager"), "POST", PATH, {
    title: "Scene",
    shortcut: `scene-${randomUUID().slice(0, 8)}`,
    text: "Hello from the scene",
  });
  if (reply.status !== 201) throw new Error(`setting the scene failed: ${reply.text}`);
  return CannedResponse.parse(reply.body);
};

const cells = routes.flatMap((route) =>
  CALLERS.map((caller: CallerKind) => ({ ...route, caller, outcome: route.expect[caller] })),
);

describe("every canned-response route × role", () => {
  it.for(cells.map((c) => [`${c.route} as ${c.caller} → ${c.outcome}`, c] as const))(
    "%s",
    async ([, cell]) => {
      const scene = await stage(w);
      const caller = callerOf(scene, cell.caller);
      const target = await aCannedResponse();
      const before = await w.snapshot();
      const reply = await api(w.url, caller, cell.method, cell.path(target), cell.body?.());
      if (cell.outcome === "ok") {
        expect(reply.status, reply.text).toBeLessThan(300);
        cell.verify(reply, target, caller!);
        return;
      }
      expect(restErrorOf(reply).code, reply.text).toBe(cell.outcome as ErrorCode);
      expect(await w.changesSince(before)).toEqual([]);
    },
  );

  it("an unknown canned response is NOT_FOUND for managers and admins, FORBIDDEN for agents", async () => {
    const ghost = "00000000-0000-4000-8000-000000000000";
    const before = await w.snapshot();
    for (const who of [w.person("manager"), w.person("admin")]) {
      const edit = await api(w.url, who, "PUT", `${PATH}/${ghost}`, { version: 1, text: "x" });
      expect(restErrorOf(edit).code).toBe("NOT_FOUND");
      expect(restErrorOf(await api(w.url, who, "DELETE", `${PATH}/${ghost}`)).code).toBe(
        "NOT_FOUND",
      );
    }
    const agent = w.person("agent");
    expect(restErrorOf(await api(w.url, agent, "DELETE", `${PATH}/${ghost}`)).code).toBe(
      "FORBIDDEN",
    );
    expect(await w.changesSince(before)).toEqual([]);
  });

  it("a customer's socket never hears of canned responses; an agent's does", async () => {
    const customer = w.person("customer");
    const agent = w.person("agent");
    const customerSocket = await connectAs(w.url, customer);
    const agentSocket = await connectAs(w.url, agent);
    const seen: string[] = [];
    customerSocket.onAny((event: string, payload: unknown) =>
      seen.push(`${event} ${JSON.stringify(payload)}`),
    );
    try {
      const heard: unknown[] = [];
      agentSocket.on("cannedResponseChanged", (p) => heard.push(p));
      const created = await aCannedResponse();
      const deadline = Date.now() + 10_000;
      const mine = () =>
        heard
          .map((p) => CannedResponseChangedPush.parse(p))
          .find((p) => p.change === "saved" && p.response.id === created.id);
      while (!mine() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(mine()).toEqual({ change: "saved", response: created });
      // The customer's own push comes after: anything for the customer about the canned
      // response would have been sent with the agent's.
      const marker = new Promise<void>((resolve) =>
        customerSocket.on("newMessage", (m) => m.clientMessageId === "marker" && resolve()),
      );
      const room = (await api(w.url, customer, "GET", "/chat/room")).body as { id: string };
      await api(w.url, customer, "POST", `/chat/room/${room.id}/messages`, {
        message: "anything new?",
        clientMessageId: "marker",
      });
      await marker;
      expect(seen.join("\n")).not.toContain(created.id);
      expect(seen.join("\n")).not.toContain("cannedResponseChanged");
    } finally {
      customerSocket.close();
      agentSocket.close();
    }
  });
});
