import { describe, expect, it } from "vitest";
import {
  CreateWebhookBody,
  ROOM_EVENT_TYPES,
  UpdateWebhookBody,
  WebhookDeliveriesQuery,
  WebhookEventType,
  WebhookUrl,
} from "../src/index.js";

describe("webhook contracts", () => {
  it("take absolute http(s) URLs without credentials", () => {
    expect(WebhookUrl.parse(" https://hooks.example.com/in ")).toBe("https://hooks.example.com/in");
    expect(WebhookUrl.safeParse("http://hooks.example.com/in").success).toBe(true);
    for (const bad of [
      "",
      "hooks.example.com",
      "ftp://hooks.example.com/",
      "https://user:pw@hooks.example.com/",
      "https://token@hooks.example.com/",
      // Not parseable at all: refused, not thrown.
      "https://[::1",
      "http://",
      `https://hooks.example.com/${"a".repeat(2100)}`,
    ]) {
      expect(WebhookUrl.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("offer every domain event type, and only those", () => {
    expect(WebhookEventType.options).toEqual([...ROOM_EVENT_TYPES]);
    expect(WebhookEventType.safeParse("WebhookTest").success).toBe(false);
  });

  it("need at least one event type to create, and one change to update", () => {
    expect(CreateWebhookBody.safeParse({ url: "https://x.example/", eventTypes: [] }).success).toBe(
      false,
    );
    expect(UpdateWebhookBody.safeParse({}).success).toBe(false);
    expect(UpdateWebhookBody.safeParse({ active: true, secret: "mine" }).success).toBe(false);
    expect(UpdateWebhookBody.parse({ active: false })).toEqual({ active: false });
  });

  it("read the deliveries query from strings, within bounds", () => {
    expect(WebhookDeliveriesQuery.parse({ status: "failed", limit: "20" })).toEqual({
      status: "failed",
      limit: 20,
    });
    expect(WebhookDeliveriesQuery.safeParse({ limit: "201" }).success).toBe(false);
    expect(WebhookDeliveriesQuery.safeParse({ status: "lost" }).success).toBe(false);
  });
});
