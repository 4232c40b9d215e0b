import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ChatMessage,
  ChatRoom,
  WebhookDelivery,
  WebhookPayload,
  WebhookSubscription,
} from "@support-chat/contracts";
import {
  startWebhookReceiver,
  type ReceivedWebhook,
  type WebhookReceiver,
} from "@support-chat/test-support/webhook-receiver";
import { eventually, person, rest, type Person } from "../src/clients.js";
import { ServiceProcess } from "../src/processes.js";
import { startStack, type Stack } from "../src/stack.js";

/**
 * Webhooks through the whole product, with the notification service as a real process: a
 * manager registers an endpoint over REST, customers write, and the service is killed -9 in
 * the middle of delivering. Every message must reach the endpoint signed, as exactly one 2xx.
 */
describe("webhook deliveries across a notification service crash", () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let manager: Person;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    stack = await startStack({
      notification: false,
      env: {
        ROUTING_POLICY: "manual",
        RATE_LIMIT_MESSAGES_PER_SECOND: "1000",
        RATE_LIMIT_MESSAGE_BURST: "100",
        WEBHOOK_ALLOW_HTTP: "true",
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_RETRY_BASE_MS: "100",
        WEBHOOK_RETRY_MAX_DELAY_MS: "400",
        WEBHOOK_TIMEOUT_MS: "2000",
        WEBHOOK_POLL_INTERVAL_MS: "100",
      },
    });
    manager = person(stack.jwtSecret, "manager", "Hook Manager");
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    for (const p of processes) await p.kill();
    await receiver?.close();
    await stack?.stop();
  });

  const notificationProcess = async () => {
    const p = await ServiceProcess.create("notification-service", stack.env);
    processes.push(p);
    await p.start(60_000);
    return p;
  };

  const verified = (r: ReceivedWebhook, secret: string) => {
    const timestamp = String(r.headers["webhook-timestamp"]);
    const expected = createHmac("sha256", secret).update(`${timestamp}.${r.body}`).digest("hex");
    return r.headers["webhook-signature"] === `sha256=${expected}`;
  };

  it("loses nothing, and a receiver deduplicating by Webhook-Id takes each event once", async () => {
    let service = await notificationProcess();
    const created = await rest(stack.gatewayUrl, manager, "POST", "/chat/support/webhooks", {
      url: receiver.url,
      eventTypes: ["MessagePosted"],
    });
    expect(created.status).toBe(201);
    const hook = WebhookSubscription.parse(created.body);
    // Every event fails twice before the receiver takes it: retries are in flight at the kill.
    const tries = new Map<string, number>();
    receiver.answer((_n, id) => {
      const n = (tries.get(id) ?? 0) + 1;
      tries.set(id, n);
      return n <= 2 ? 503 : 200;
    });

    const customer = person(stack.jwtSecret, "customer", "Webhook Customer");
    const room = ChatRoom.parse((await rest(stack.gatewayUrl, customer, "GET", "/chat/room")).body);
    const posted: ChatMessage[] = [];
    const post = async (i: number) => {
      const reply = await rest(
        stack.gatewayUrl,
        customer,
        "POST",
        `/chat/room/${room.id}/messages`,
        {
          message: `message ${i}`,
          clientMessageId: `wh-${i}`,
        },
      );
      expect(reply.status).toBe(201);
      posted.push(ChatMessage.parse(reply.body));
    };

    for (let i = 1; i <= 10; i++) await post(i);
    await eventually(() => receiver.received.length >= 5, "deliveries under way");
    await service.kill();
    for (let i = 11; i <= 20; i++) await post(i);
    service = await notificationProcess();
    await eventually(() => receiver.received.length >= 40, "deliveries under way again");
    await service.kill();
    for (let i = 21; i <= 25; i++) await post(i);
    service = await notificationProcess();

    const eventIdOf = new Map<string, string>();
    const ofMessage = (messageId: string) =>
      receiver.received.filter((r) => {
        const p = WebhookPayload.parse(JSON.parse(r.body));
        if (p.data["messageId"] !== messageId) return false;
        eventIdOf.set(messageId, p.id);
        return true;
      });
    await eventually(
      () => posted.every((m) => ofMessage(m.id).some((r) => r.status === 200)),
      "every message taken by the receiver",
      60_000,
    );
    // Well past the retry delays: nothing more arrives once everything was taken.
    await new Promise((r) => setTimeout(r, 1000));

    expect(posted).toHaveLength(25);
    for (const m of posted) {
      const got = ofMessage(m.id);
      // A kill -9 after the receiver answered 2xx but before the delivery was recorded sends it
      // again, with the same Webhook-Id: the receiver deduplicates by that id (documented), so
      // "once" is once per id, checked below. Lost would be no 2xx at all.
      expect(
        got.filter((r) => r.status === 200).length,
        `2xx for ${m.message}`,
      ).toBeGreaterThanOrEqual(1);
      // Retries only, each with the event's id and the same signed body.
      expect(new Set(got.map((r) => r.headers["webhook-id"]))).toEqual(
        new Set([eventIdOf.get(m.id)]),
      );
      expect(new Set(got.map((r) => r.body)).size).toBe(1);
      for (const r of got) expect(verified(r, hook.secret)).toBe(true);
    }
    // One id per message: deduplicating by it leaves exactly the 25 events.
    expect(new Set(posted.map((m) => eventIdOf.get(m.id))).size).toBe(25);

    // The dispatcher records a 2xx after the receiver has answered: poll until it has.
    let list: WebhookDelivery[] = [];
    await eventually(
      async () => {
        const deliveries = await rest(
          stack.gatewayUrl,
          manager,
          "GET",
          `/chat/support/webhooks/${hook.id}/deliveries?limit=100`,
        );
        list = WebhookDelivery.array().parse(deliveries.body);
        return list.length === 25 && list.every((d) => d.status === "delivered");
      },
      "every delivery recorded as delivered",
      30_000,
    );
    expect(list.every((d) => d.attempts >= 3)).toBe(true);
  });
});
