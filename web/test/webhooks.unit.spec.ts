import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import type { WebhookDelivery, WebhookSubscription } from "@support-chat/contracts";
import { ChatRequestError } from "../src/services/errors.js";
import { webhooksApi } from "../src/services/webhooks-api.js";
import { useWebhooksStore } from "../src/stores/webhooks.js";

const hook = (n: number, over: Partial<WebhookSubscription> = {}): WebhookSubscription => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  url: `https://hooks.example.com/${n}`,
  eventTypes: ["MessagePosted"],
  secret: `whsec_${n}`,
  active: true,
  createdBy: { id: "m1", name: "Mona" },
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  ...over,
});

const delivery = (h: WebhookSubscription, eventId: string): WebhookDelivery => ({
  id: `10000000-0000-4000-8000-${eventId.padStart(12, "0")}`,
  subscriptionId: h.id,
  eventId: `20000000-0000-4000-8000-${eventId.padStart(12, "0")}`,
  eventType: "WebhookTest",
  status: "pending",
  attempts: 0,
  nextAttemptAt: "2026-01-01T00:00:00.000Z",
  createdAt: "2026-01-01T00:00:00.000Z",
  deliveredAt: null,
  recentAttempts: [],
});

describe("the webhooks store", () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.restoreAllMocks());

  it("replaces a saved webhook without touching the object it had", async () => {
    const first = hook(1);
    vi.spyOn(webhooksApi, "list").mockResolvedValue([first, hook(2)]);
    vi.spyOn(webhooksApi, "update").mockResolvedValue(hook(1, { active: false }));
    const store = useWebhooksStore();
    await store.load();

    expect(await store.update(first.id, { active: false })).toBe(true);
    expect(store.webhooks.map((w) => w.active)).toEqual([false, true]);
    expect(first.active).toBe(true);
    expect(store.notice).toBe("Webhook saved");
  });

  it("keeps the list as it was and shows the server's reason when a change is refused", async () => {
    vi.spyOn(webhooksApi, "list").mockResolvedValue([hook(1)]);
    vi.spyOn(webhooksApi, "create").mockRejectedValue(
      new ChatRequestError("VALIDATION_FAILED", "url: must start with https://"),
    );
    const store = useWebhooksStore();
    await store.load();

    expect(await store.create({ url: "http://x.example/", eventTypes: ["RoomOpened"] })).toBe(
      false,
    );
    expect(store.webhooks).toHaveLength(1);
    expect(store.problem).toBe("url: must start with https://");
  });

  it("shows a queued test event at the top of the opened webhook's deliveries", async () => {
    const h = hook(1);
    vi.spyOn(webhooksApi, "list").mockResolvedValue([h]);
    vi.spyOn(webhooksApi, "deliveries").mockResolvedValue([delivery(h, "1")]);
    vi.spyOn(webhooksApi, "sendTest").mockResolvedValue(delivery(h, "2"));
    const store = useWebhooksStore();
    await store.load();
    await store.open(h.id);
    await store.sendTest(h.id);

    expect(store.deliveries.map((d) => d.eventId.slice(-1))).toEqual(["2", "1"]);
  });

  it("forgets a deleted webhook and closes its deliveries", async () => {
    const h = hook(1);
    vi.spyOn(webhooksApi, "list").mockResolvedValue([h, hook(2)]);
    vi.spyOn(webhooksApi, "deliveries").mockResolvedValue([delivery(h, "1")]);
    vi.spyOn(webhooksApi, "remove").mockResolvedValue();
    const store = useWebhooksStore();
    await store.load();
    await store.open(h.id);
    await store.remove(h.id);

    expect(store.webhooks.map((w) => w.id)).toEqual([hook(2).id]);
    expect(store.openId).toBeNull();
    expect(store.deliveries).toEqual([]);
  });
});
