import { randomUUID } from "node:crypto";
import {
  WebhookPayload,
  type Actor,
  type WebhookDelivery,
  type WebhookSubscription,
} from "@support-chat/contracts";
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from "@support-chat/test-support/webhook-receiver";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openWebhookDatabase } from "../src/adapters/webhooks/database.js";
import { webhookStore } from "../src/adapters/webhooks/store.js";
import { verifySignature } from "../src/domain/webhooks/signature.js";
import { startNotificationService } from "../src/service.js";
import {
  agent,
  customer,
  sampleOf,
  startEnvironment,
  type Environment,
} from "./support/environment.js";
import { waitUntil } from "./support/test-gateway.js";
import { manager, webhookClient } from "./support/webhooks.js";

let env: Environment;
let hooks: ReturnType<typeof webhookClient>;
let receiver: WebhookReceiver;
const boss = manager("Mona");

beforeAll(async () => {
  env = await startEnvironment();
  hooks = webhookClient(env);
});
afterAll(async () => {
  await env?.close();
});
afterEach(async () => {
  // Each test's endpoint goes, so the next one hears only its own events.
  const { webhooks } = await hooks.query(boss, "listWebhooks", {});
  for (const w of webhooks) await hooks.command(boss, "deleteWebhook", { id: w.id });
  await receiver?.close();
});

const register = async (eventTypes: WebhookSubscription["eventTypes"]) => {
  receiver = await startWebhookReceiver();
  return hooks.command(boss, "createWebhook", { url: receiver.url, eventTypes });
};

/** A room with one customer message in it; returns what the chat service recorded. */
const conversation = async (text: string) => {
  const carla = customer("Carla");
  const room = await env.command(carla, "openRoom", {});
  const { message } = await env.command(carla, "postMessage", {
    roomId: room.id,
    clientMessageId: `c-${randomUUID()}`,
    message: text,
  });
  return { carla, room, message };
};

const payloadOf = (body: string) => WebhookPayload.parse(JSON.parse(body));

const deliveriesOf = async (id: string): Promise<WebhookDelivery[]> =>
  (await hooks.query(boss, "listWebhookDeliveries", { id })).deliveries;

/** The delivery of the message posted with this text, once it has settled. */
const settledDelivery = async (subscriptionId: string, eventId: string) => {
  let found: WebhookDelivery | undefined;
  await waitUntil(async () => {
    found = (await deliveriesOf(subscriptionId)).find((d) => d.eventId === eventId);
    return found !== undefined && found.status !== "pending";
  }, `delivery of ${eventId} settled`);
  return found!;
};

const messageDelivery = (r: WebhookReceiver, messageId: string) =>
  r.received.filter((x) => {
    const p = payloadOf(x.body);
    return p.type === "MessagePosted" && p.data["messageId"] === messageId;
  });

describe("webhook deliveries", () => {
  it("posts a chosen event signed with the endpoint's secret, its id in Webhook-Id", async () => {
    const hook = await register(["MessagePosted"]);
    const { room, message } = await conversation("where is my parcel?");

    await waitUntil(() => messageDelivery(receiver, message.id).length > 0, "message delivered");
    const [got] = messageDelivery(receiver, message.id);
    const payload = payloadOf(got!.body);
    expect(payload).toMatchObject({
      type: "MessagePosted",
      data: { roomId: room.id, messageId: message.id, message: "where is my parcel?", seq: 1 },
    });
    expect(got!.headers["webhook-id"]).toBe(payload.id);
    expect(got!.headers["content-type"]).toBe("application/json");
    const signed = {
      timestamp: String(got!.headers["webhook-timestamp"]),
      body: got!.body,
      signature: String(got!.headers["webhook-signature"]),
      now: new Date(),
    };
    expect(signed.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature({ ...signed, secret: hook.secret })).toBe(true);
    expect(verifySignature({ ...signed, secret: `${hook.secret}x` })).toBe(false);
    // Only the chosen type: the room's opening was not sent.
    expect(receiver.received.map((r) => payloadOf(r.body).type)).not.toContain("RoomOpened");

    const delivery = await settledDelivery(hook.id, payload.id);
    expect(delivery).toMatchObject({
      status: "delivered",
      attempts: 1,
      eventType: "MessagePosted",
    });
    expect(delivery.recentAttempts.map((a) => a.statusCode)).toEqual([200]);
  });

  it("retries a failing receiver with the same id until it recovers, and it gets one 2xx", async () => {
    const hook = await register(["MessagePosted"]);
    receiver.answer((n) => (n <= 3 ? 503 : 204));
    const { message } = await conversation("retry me");

    await waitUntil(
      () => messageDelivery(receiver, message.id).some((r) => r.status === 204),
      "delivered after the receiver recovered",
    );
    const eventId = payloadOf(messageDelivery(receiver, message.id)[0]!.body).id;
    const delivery = await settledDelivery(hook.id, eventId);
    // Longer than several retry delays: nothing more comes once it was taken.
    await new Promise((r) => setTimeout(r, 600));

    const tries = receiver.withId(eventId);
    expect(tries.map((t) => t.status)).toEqual([503, 503, 503, 204]);
    expect(new Set(tries.map((t) => t.body)).size).toBe(1);
    expect(new Set(tries.map((t) => t.headers["webhook-timestamp"])).size).toBeGreaterThan(0);
    for (const t of tries) {
      const ok = verifySignature({
        secret: hook.secret,
        timestamp: String(t.headers["webhook-timestamp"]),
        body: t.body,
        signature: String(t.headers["webhook-signature"]),
        now: new Date(),
      });
      expect(ok).toBe(true);
    }
    expect(delivery).toMatchObject({ status: "delivered", attempts: 4, nextAttemptAt: null });
    expect(delivery.recentAttempts.map((a) => a.statusCode)).toEqual([503, 503, 503, 204]);
    const metrics = await env.metrics();
    expect(
      sampleOf(metrics, "notification_webhook_attempts_total", { outcome: "retrying" }),
    ).toBeGreaterThanOrEqual(3);
  });

  it("counts a receiver that does not answer in time as a failure and tries again", async () => {
    const hook = await register(["MessagePosted"]);
    receiver.answer((n) => (n === 1 ? "hang" : 200));
    const { message } = await conversation("slow receiver");

    await waitUntil(
      () => messageDelivery(receiver, message.id).some((r) => r.status === 200),
      "delivered on the second attempt",
      15_000,
    );
    const eventId = payloadOf(messageDelivery(receiver, message.id)[0]!.body).id;
    const delivery = await settledDelivery(hook.id, eventId);
    expect(delivery.status).toBe("delivered");
    expect(delivery.recentAttempts[0]).toMatchObject({ statusCode: null });
    expect(delivery.recentAttempts[0]?.error).toMatch(/no answer within 1000 ms/);
  });

  it("marks a delivery failed after the last attempt, each attempt visible", async () => {
    const hook = await register(["MessagePosted"]);
    receiver.answer(() => 500);
    const { message } = await conversation("never taken");

    await waitUntil(() => messageDelivery(receiver, message.id).length >= 5, "five attempts");
    const eventId = payloadOf(messageDelivery(receiver, message.id)[0]!.body).id;
    const delivery = await settledDelivery(hook.id, eventId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 5, deliveredAt: null });
    expect(delivery.recentAttempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 500]);
    await new Promise((r) => setTimeout(r, 500));
    expect(messageDelivery(receiver, message.id)).toHaveLength(5);
    expect((await deliveriesOf(hook.id)).filter((d) => d.status === "failed")).toHaveLength(1);
  });

  it("sends nothing to an inactive endpoint, and the queued ones once it is active again", async () => {
    const hook = await register(["MessagePosted"]);
    receiver.answer(() => 500);
    const { message } = await conversation("paused");
    await waitUntil(() => messageDelivery(receiver, message.id).length >= 1, "first attempt");
    await hooks.command(boss, "updateWebhook", { id: hook.id, changes: { active: false } });
    const seen = receiver.received.length;
    const later = await conversation("while inactive");
    await new Promise((r) => setTimeout(r, 500));
    expect(messageDelivery(receiver, later.message.id)).toEqual([]);
    // The delivery already queued waits; the event that came while inactive is not queued.
    receiver.answer(() => 200);
    await hooks.command(boss, "updateWebhook", { id: hook.id, changes: { active: true } });
    await waitUntil(
      () => messageDelivery(receiver, message.id).some((r) => r.status === 200),
      "queued delivery sent after reactivation",
    );
    expect(receiver.received.length).toBeGreaterThan(seen);
    expect(messageDelivery(receiver, later.message.id)).toEqual([]);
  });

  it("sends a test event on request, whatever types the endpoint chose", async () => {
    const hook = await register(["RoomClosed"]);
    const queued = await hooks.command(boss, "sendTestWebhook", { id: hook.id });
    expect(queued).toMatchObject({ status: "pending", eventType: "WebhookTest" });
    await waitUntil(() => receiver.withId(queued.eventId).length > 0, "test event delivered");
    const [got] = receiver.withId(queued.eventId);
    expect(payloadOf(got!.body)).toMatchObject({
      id: queued.eventId,
      type: "WebhookTest",
      data: { subscriptionId: hook.id },
    });
  });

  it("signs with the new secret once it is rotated", async () => {
    const hook = await register(["MessagePosted"]);
    const rotated = await hooks.command(boss, "rotateWebhookSecret", { id: hook.id });
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const { message } = await conversation("after rotation");
    await waitUntil(() => messageDelivery(receiver, message.id).length > 0, "delivered");
    const [got] = messageDelivery(receiver, message.id);
    const check = (secret: string) =>
      verifySignature({
        secret,
        timestamp: String(got!.headers["webhook-timestamp"]),
        body: got!.body,
        signature: String(got!.headers["webhook-signature"]),
        now: new Date(),
      });
    expect(check(rotated.secret)).toBe(true);
    expect(check(hook.secret)).toBe(false);
  });

  it("does not hold up socket pushes while a receiver hangs", async () => {
    await register(["MessagePosted", "RoomOpened"]);
    receiver.answer(() => "hang");
    const erin = customer("Erin");
    const tab = await env.gateway.connect({ userId: erin.id });
    const room = await env.command(erin, "openRoom", {});
    for (let i = 1; i <= 5; i++) {
      const started = Date.now();
      await env.command(erin, "postMessage", {
        roomId: room.id,
        clientMessageId: `e-${i}`,
        message: `m${i}`,
      });
      await tab.waitFor("newMessage", (m) => m.seq === i);
      expect(Date.now() - started).toBeLessThan(900);
    }
    expect(receiver.received.length).toBeGreaterThan(0);
  });

  it("two replicas deliver every event of a burst exactly once as a 2xx", async () => {
    const hook = await register(["MessagePosted"]);
    const second = await startNotificationService(env.notificationConfig, env.log);
    try {
      // Some failures, so retries are claimed by either replica.
      receiver.answer((n) => (n % 4 === 0 ? 500 : 200));
      const dana = customer("Dana");
      const room = await env.command(dana, "openRoom", {});
      const burst = 30;
      const posted = await Promise.all(
        Array.from({ length: burst }, (_, i) =>
          env.command(dana, "postMessage", {
            roomId: room.id,
            clientMessageId: `d-${i}`,
            message: `burst ${i}`,
          }),
        ),
      );
      const ids = posted.map((p) => p.message.id);
      await waitUntil(
        () => ids.every((id) => messageDelivery(receiver, id).some((r) => r.status === 200)),
        "every message delivered",
        20_000,
      );
      await new Promise((r) => setTimeout(r, 500));
      for (const id of ids) {
        expect(
          messageDelivery(receiver, id).filter((r) => r.status === 200),
          id,
        ).toHaveLength(1);
      }
      const deliveries = await hooks.query(boss, "listWebhookDeliveries", {
        id: hook.id,
        limit: 100,
      });
      expect(deliveries.deliveries.filter((d) => d.status === "delivered")).toHaveLength(burst);
    } finally {
      await second.stop();
    }
  });
});

describe("keeping deliveries", () => {
  it("deletes settled deliveries past their retention, never pending ones", async () => {
    const hook = await register(["MessagePosted"]);
    receiver.answer(() => 500);
    const test = await hooks.command(boss, "sendTestWebhook", { id: hook.id });
    await settledDelivery(hook.id, test.eventId);
    receiver.answer(() => "hang");
    const waiting = await hooks.command(boss, "sendTestWebhook", { id: hook.id });

    const database = await openWebhookDatabase(env.notificationConfig.DATABASE_URL, 3, env.log);
    try {
      const store = webhookStore(database);
      // Nothing is old enough yet.
      expect(await store.pruneSettled(new Date(Date.now() - 60_000), 10)).toBe(0);
      expect(await store.pruneSettled(new Date(Date.now() + 60_000), 10)).toBe(1);
      const left = await deliveriesOf(hook.id);
      expect(left.map((d) => d.eventId)).toEqual([waiting.eventId]);
      expect(left[0]?.status).toBe("pending");
    } finally {
      await database.close();
    }
  });
});

describe("managing webhooks", () => {
  const staff: Array<[string, Actor]> = [
    ["an agent", agent("Andy")],
    ["a customer", customer("Cody")],
    ["a service", { id: "svc", name: "Service", role: "system" }],
  ];

  it("lists, updates and deletes for managers and admins", async () => {
    const hook = await register(["MessagePosted"]);
    const admin: Actor = { ...manager("Ada"), role: "admin" };
    expect((await hooks.query(admin, "listWebhooks", {})).webhooks.map((w) => w.id)).toEqual([
      hook.id,
    ]);
    expect(hook).toMatchObject({ active: true, createdBy: { id: boss.id, name: "Mona" } });
    const updated = await hooks.command(admin, "updateWebhook", {
      id: hook.id,
      changes: {
        eventTypes: ["RoomClosed", "MessagePosted", "RoomClosed"],
        url: `${receiver.url}/v2`,
      },
    });
    expect(updated).toMatchObject({
      eventTypes: ["MessagePosted", "RoomClosed"],
      url: `${receiver.url}/v2`,
      secret: hook.secret,
    });
    expect(await hooks.command(admin, "deleteWebhook", { id: hook.id })).toEqual({
      id: hook.id,
      deleted: true,
    });
    await expect(hooks.query(boss, "getWebhook", { id: hook.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it.each(staff)("refuses %s every operation and changes nothing", async (_who, actor) => {
    const hook = await register(["MessagePosted"]);
    const before = await hooks.query(boss, "listWebhooks", {});
    const id = hook.id;
    const attempts = [
      () =>
        hooks.command(actor, "createWebhook", { url: receiver.url, eventTypes: ["RoomOpened"] }),
      () => hooks.command(actor, "updateWebhook", { id, changes: { active: false } }),
      () => hooks.command(actor, "deleteWebhook", { id }),
      () => hooks.command(actor, "rotateWebhookSecret", { id }),
      () => hooks.command(actor, "sendTestWebhook", { id }),
      () => hooks.query(actor, "listWebhooks", {}),
      () => hooks.query(actor, "getWebhook", { id }),
      () => hooks.query(actor, "listWebhookDeliveries", { id }),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await hooks.query(boss, "listWebhooks", {})).toEqual(before);
    expect(await deliveriesOf(id)).toEqual([]);
  });

  it("refuses bad input with a clear error and changes nothing", async () => {
    const hook = await register(["MessagePosted"]);
    const before = await hooks.query(boss, "listWebhooks", {});
    const bad: Array<[() => Promise<unknown>, string]> = [
      [
        () =>
          hooks.command(boss, "createWebhook", {
            url: "ftp://x.example/",
            eventTypes: ["RoomOpened"],
          }),
        "VALIDATION_FAILED",
      ],
      [
        () =>
          hooks.command(boss, "createWebhook", {
            url: "https://u:p@x.example/",
            eventTypes: ["RoomOpened"],
          }),
        "VALIDATION_FAILED",
      ],
      [
        () => hooks.command(boss, "createWebhook", { url: receiver.url, eventTypes: [] }),
        "VALIDATION_FAILED",
      ],
      [
        () =>
          hooks.command(boss, "createWebhook", {
            url: receiver.url,
            eventTypes: ["NoSuchEvent" as "RoomOpened"],
          }),
        "VALIDATION_FAILED",
      ],
      [
        () => hooks.command(boss, "updateWebhook", { id: hook.id, changes: {} }),
        "VALIDATION_FAILED",
      ],
      [() => hooks.command(boss, "deleteWebhook", { id: "not-a-uuid" }), "VALIDATION_FAILED"],
      [() => hooks.command(boss, "deleteWebhook", { id: randomUUID() }), "NOT_FOUND"],
      [() => hooks.command(boss, "rotateWebhookSecret", { id: randomUUID() }), "NOT_FOUND"],
      [() => hooks.query(boss, "listWebhookDeliveries", { id: randomUUID() }), "NOT_FOUND"],
    ];
    for (const [attempt, code] of bad) await expect(attempt()).rejects.toMatchObject({ code });
    expect(await hooks.query(boss, "listWebhooks", {})).toEqual(before);
  });
});
