import { parse as parseQuery } from "node:querystring";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CreateWebhookBody,
  UpdateWebhookBody,
  WebhookDeliveriesQuery,
  WebhookDelivery,
  WebhookSubscription,
  type Role,
} from "@support-chat/contracts";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import { api, restErrorOf, type RawReply } from "./calls.js";
import { malformedFrom } from "./malformed.js";
import { CALLERS, type CallerKind, type Expectations } from "./scene.js";
import type { World } from "./world.js";

/** Webhooks are for managers and admins only: everyone else is refused, whoever they are. */
export const managerOnly: Expectations = {
  "customer/own": "FORBIDDEN",
  "customer/other": "FORBIDDEN",
  "agent/own": "FORBIDDEN",
  "agent/other": "FORBIDDEN",
  "manager/other": "ok",
  "admin/other": "ok",
  none: "UNAUTHENTICATED",
};

const roleOf: Record<CallerKind, Role | null> = {
  "customer/own": "customer",
  "customer/other": "customer",
  "agent/own": "agent",
  "agent/other": "agent",
  "manager/other": "manager",
  "admin/other": "admin",
  none: null,
};

type WebhookRoute = {
  route: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: (hookId: string) => string;
  body?: () => unknown;
  verify: (reply: RawReply, hook: WebhookSubscription) => void;
};

const base = "/chat/support/webhooks";

/** A receiver nobody runs; the webhooks made here never get an event they would send. */
const receiverUrl = () =>
  `https://hooks.example.com/support/${Math.random().toString(36).slice(2)}`;

export const webhookRoutes: WebhookRoute[] = [
  {
    route: `GET ${base}`,
    method: "GET",
    path: () => base,
    verify: (r, hook) =>
      expect(
        WebhookSubscription.array()
          .parse(r.body)
          .map((w) => w.id),
      ).toContain(hook.id),
  },
  {
    route: `POST ${base}`,
    method: "POST",
    path: () => base,
    body: () => ({ url: receiverUrl(), eventTypes: ["RoomClosed"], active: false }),
    verify: (r) => {
      expect(r.status).toBe(201);
      expect(WebhookSubscription.parse(r.body)).toMatchObject({ active: false });
    },
  },
  {
    route: `GET ${base}/:id`,
    method: "GET",
    path: (id) => `${base}/${id}`,
    verify: (r, hook) => expect(WebhookSubscription.parse(r.body)).toEqual(hook),
  },
  {
    route: `PATCH ${base}/:id`,
    method: "PATCH",
    path: (id) => `${base}/${id}`,
    body: () => ({ active: false, eventTypes: ["RoomOpened"] }),
    verify: (r) =>
      expect(WebhookSubscription.parse(r.body)).toMatchObject({
        active: false,
        eventTypes: ["RoomOpened"],
      }),
  },
  {
    route: `DELETE ${base}/:id`,
    method: "DELETE",
    path: (id) => `${base}/${id}`,
    verify: (r, hook) => expect(r.body).toEqual({ id: hook.id, deleted: true }),
  },
  {
    route: `GET ${base}/:id/deliveries`,
    method: "GET",
    path: (id) => `${base}/${id}/deliveries?limit=10`,
    verify: (r) => expect(WebhookDelivery.array().parse(r.body)).toEqual([]),
  },
  {
    route: `POST ${base}/:id/rotate-secret`,
    method: "POST",
    path: (id) => `${base}/${id}/rotate-secret`,
    verify: (r, hook) => expect(WebhookSubscription.parse(r.body).secret).not.toBe(hook.secret),
  },
  {
    route: `POST ${base}/:id/test`,
    method: "POST",
    path: (id) => `${base}/${id}/test`,
    verify: (r, hook) => {
      expect(r.status).toBe(202);
      expect(WebhookDelivery.parse(r.body)).toMatchObject({
        subscriptionId: hook.id,
        eventType: "WebhookTest",
      });
    },
  },
];

/**
 * Every webhook route × every kind of caller: a fresh webhook per cell (made by an admin, so
 * the count never grows), the call, and for a refusal the proof that nothing changed.
 */
export const webhookMatrix = (world: () => World): void => {
  describe("every webhook route × role", () => {
    const cells = webhookRoutes.flatMap((route) =>
      CALLERS.map((caller) => ({ ...route, caller, outcome: managerOnly[caller] })),
    );
    it.for(cells.map((c) => [`${c.route} as ${c.caller} → ${c.outcome}`, c] as const))(
      "%s",
      async ([, cell]) => {
        const w = world();
        const admin = w.person("admin");
        const made = await api(w.url, admin, "POST", base, {
          url: receiverUrl(),
          eventTypes: ["RoomClosed"],
        });
        expect(made.status, made.text).toBe(201);
        const hook = WebhookSubscription.parse(made.body);
        try {
          const role = roleOf[cell.caller];
          const caller: Person | null = role ? w.person(role) : null;
          const before = await w.snapshot();
          const reply = await api(w.url, caller, cell.method, cell.path(hook.id), cell.body?.());
          if (cell.outcome === "ok") {
            expect(reply.status, reply.text).toBeLessThan(300);
            cell.verify(reply, hook);
            return;
          }
          expect(restErrorOf(reply).code, reply.text).toBe(cell.outcome);
          expect(await w.changesSince(before)).toEqual([]);
        } finally {
          // Including the ones a POST in this cell made.
          const list = await api(w.url, admin, "GET", base);
          for (const h of WebhookSubscription.array().parse(list.body)) {
            await api(w.url, admin, "DELETE", `${base}/${h.id}`);
          }
        }
      },
    );
  });
};

type Case = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  who: Person | null;
  headers?: Record<string, string>;
  body?: string;
};

/**
 * Malformed webhook requests by a manager (who may use the routes, so only the input can be
 * refused): bodies that break the contract, ids that are not ids, bad deliveries queries.
 */
export const webhookFuzzCases = (
  manager: Person,
  hookId: string,
  sample: <T>(arb: fc.Arbitrary<T>, numRuns: number, salt: number) => T[],
): Case[] => {
  const json = { "content-type": "application/json" };
  const bodies = (
    method: "POST" | "PATCH",
    path: string,
    schema: Parameters<typeof malformedFrom>[0],
    valid: Record<string, unknown>,
    salt: number,
  ) =>
    sample(malformedFrom(schema, valid), 250, salt).map((body) => ({
      method,
      path,
      who: manager,
      headers: json,
      body: JSON.stringify(body),
    }));
  const badIds = sample(
    fc
      .oneof(
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.uuid().map((u) => u.replace(/-/g, "")),
        fc.constantFrom("..", "%2e%2e%2f", "null", "' or 1=1", "\u0000"),
      )
      .filter((id) => id !== "." && id !== ".."),
    100,
    710,
  ).map(encodeURIComponent);
  const badUrls = sample(
    fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom(
        "http://hooks.example.com/",
        "https://user:pw@hooks.example.com/",
        "https://127.0.0.1/",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/",
        "https://localhost/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        `https://hooks.example.com/${"a".repeat(3000)}`,
      ),
    ),
    100,
    711,
  );
  return [
    ...bodies(
      "POST",
      "/api/chat/support/webhooks",
      CreateWebhookBody,
      { url: "https://hooks.example.com/in", eventTypes: ["RoomClosed"] },
      712,
    ),
    ...bodies(
      "PATCH",
      `/api/chat/support/webhooks/${hookId}`,
      UpdateWebhookBody,
      { active: false },
      713,
    ),
    ...badUrls.map((url) => ({
      method: "POST" as const,
      path: "/api/chat/support/webhooks",
      who: manager,
      headers: json,
      body: JSON.stringify({ url, eventTypes: ["RoomClosed"] }),
    })),
    ...badIds.flatMap((id) => [
      { method: "GET" as const, path: `/api/chat/support/webhooks/${id}`, who: manager },
      { method: "DELETE" as const, path: `/api/chat/support/webhooks/${id}`, who: manager },
      {
        method: "POST" as const,
        path: `/api/chat/support/webhooks/${id}/rotate-secret`,
        who: manager,
      },
    ]),
    ...sample(
      fc.dictionary(
        fc.constantFrom("status", "limit"),
        fc.oneof(
          fc.string({ maxLength: 10 }),
          fc.constantFrom("0", "-1", "201", "1.5", "pending,failed", "DELIVERED"),
        ),
        { minKeys: 1 },
      ),
      100,
      714,
    )
      .map((q) => new URLSearchParams(q).toString())
      .filter((qs) => !WebhookDeliveriesQuery.safeParse(parseQuery(qs)).success)
      .map((qs) => ({
        method: "GET" as const,
        path: `/api/chat/support/webhooks/${hookId}/deliveries?${qs}`,
        who: manager,
      })),
  ];
};
