import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MailFeatures, RoomRating, TranscriptAtCloseResult } from "@support-chat/contracts";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import { startSmtpSink, type SmtpSink } from "@support-chat/system-tests/src/smtp-sink.js";
import { api, http, restErrorOf, type RawReply } from "../src/calls.js";
import {
  CALLERS,
  callerOf,
  stage,
  type CallerKind,
  type Expectations,
  type Scene,
} from "../src/scene.js";
import { startWorld, type World } from "../src/world.js";

/**
 * Ratings and transcripts in the role matrix: only the room's own customer may rate it or ask
 * for its transcript; every refusal changes nothing. Then malformed input on each route.
 */
let w: World;
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  w = await startWorld({ env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await w?.stop();
  await smtp?.close();
});

const ownCustomerOnly: Expectations = {
  "customer/own": "ok",
  "customer/other": "FORBIDDEN",
  "agent/own": "FORBIDDEN",
  "agent/other": "FORBIDDEN",
  "manager/other": "FORBIDDEN",
  "admin/other": "FORBIDDEN",
  none: "UNAUTHENTICATED",
};

type Route = {
  route: string;
  method: "GET" | "POST" | "PUT";
  path: (s: Scene) => string;
  body?: () => unknown;
  prepare?: (s: Scene) => Promise<void>;
  expect: Expectations;
  verify: (reply: RawReply, s: Scene) => void;
};

const closeByAgent = async (s: Scene) => {
  await api(w.url, s.assignee, "POST", `/chat/room/${s.room.id}/close`);
};

const routes: Route[] = [
  {
    route: "POST /chat/room/:id/rating",
    method: "POST",
    path: (s) => `/chat/room/${s.room.id}/rating`,
    body: () => ({ score: 5, comment: "great" }),
    prepare: closeByAgent,
    expect: ownCustomerOnly,
    verify: (r) => expect(RoomRating.parse(r.body)).toMatchObject({ score: 5, comment: "great" }),
  },
  {
    route: "POST /chat/room/:id/transcript",
    method: "POST",
    path: (s) => `/chat/room/${s.room.id}/transcript`,
    body: () => ({ email: "probe@shop.example" }),
    expect: ownCustomerOnly,
    verify: (r, s) =>
      expect(r.body).toMatchObject({ roomId: s.room.id, email: "probe@shop.example" }),
  },
  {
    route: "PUT /chat/room/:id/transcript-at-close",
    method: "PUT",
    path: (s) => `/chat/room/${s.room.id}/transcript-at-close`,
    body: () => ({ enabled: true, email: "probe@shop.example" }),
    expect: ownCustomerOnly,
    verify: (r) => expect(TranscriptAtCloseResult.parse(r.body).email).toBe("probe@shop.example"),
  },
  {
    route: "GET /chat/features",
    method: "GET",
    path: () => "/chat/features",
    expect: {
      "customer/own": "ok",
      "customer/other": "ok",
      "agent/own": "ok",
      "agent/other": "ok",
      "manager/other": "ok",
      "admin/other": "ok",
      none: "UNAUTHENTICATED",
    },
    verify: (r) => expect(MailFeatures.parse(r.body).transcripts).toBe(true),
  },
];

const cells = (callers: readonly CallerKind[]) =>
  routes.flatMap((route) =>
    callers.map((caller) => ({ ...route, caller, outcome: route.expect[caller] })),
  );

describe("rating and transcript routes × role × own/other room", () => {
  it.for(cells(CALLERS).map((c) => [`${c.route} as ${c.caller} → ${c.outcome}`, c] as const))(
    "%s",
    async ([, cell]) => {
      const scene = await stage(w);
      await cell.prepare?.(scene);
      const caller = callerOf(scene, cell.caller);
      const before = await w.snapshot();
      const reply = await api(w.url, caller, cell.method, cell.path(scene), cell.body?.());
      if (cell.outcome === "ok") {
        expect(reply.status, reply.text).toBeLessThan(300);
        cell.verify(reply, scene);
        return;
      }
      expect(restErrorOf(reply).code, reply.text).toBe(cell.outcome);
      expect(await w.changesSince(before)).toEqual([]);
    },
  );
});

/** Bodies no route here may accept; each must get a clear 4xx and change nothing. */
const MALFORMED: unknown[] = [
  null,
  [],
  "five",
  { score: 0 },
  { score: 6 },
  { score: 4.5 },
  { score: "5" },
  { score: 5, comment: "x".repeat(5001) },
  { score: 5, comment: "nul \u0000" },
  { score: 5, comment: 42 },
  { email: "not-an-address" },
  { email: "a@b" },
  { email: `${"x".repeat(250)}@example.com` },
  { email: ["a@example.com"] },
  { email: "a@example.com\r\nBcc: victim@example.com" },
  { enabled: "yes" },
  { enabled: true, email: "<script>@example.com" },
  { __proto__: { score: 5 } },
];

describe("malformed rating and transcript requests", () => {
  it("answer every malformed body on every route with a clear 4xx and change nothing", async () => {
    const scene = await stage(w);
    await api(w.url, scene.owner, "PUT", `/chat/room/${scene.room.id}/transcript-at-close`, {
      enabled: false,
    });
    await closeByAgent(scene);
    const customer: Person = scene.owner;
    const failures: string[] = [];
    const before = await w.snapshot();
    for (const [method, suffix] of [
      ["POST", "rating"],
      ["POST", "transcript"],
      ["PUT", "transcript-at-close"],
    ] as const) {
      for (const body of MALFORMED) {
        const reply = await http(w.url, method, `/api/chat/room/${scene.room.id}/${suffix}`, {
          headers: {
            authorization: `Bearer ${customer.token}`,
            "content-type": "application/json",
          },
          body: JSON.stringify(body),
        });
        const clear = reply.status >= 400 && reply.status < 500 && /"code"/.test(reply.text);
        if (!clear) failures.push(`${method} ${suffix} ${JSON.stringify(body)} → ${reply.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await w.changesSince(before)).toEqual([]);
  });

  it("answers ids that are not UUIDs with a clear 400", async () => {
    const scene = await stage(w);
    for (const id of ["x", "1", "../rooms", "%E0%A4%A"]) {
      const reply = await http(w.url, "POST", `/api/chat/room/${id}/rating`, {
        headers: {
          authorization: `Bearer ${scene.owner.token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ score: 5 }),
      });
      expect(reply.status, `${id}: ${reply.text}`).toBeGreaterThanOrEqual(400);
      expect(reply.status, `${id}: ${reply.text}`).toBeLessThan(500);
    }
  });
});
