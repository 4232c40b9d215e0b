import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startWebhookReceiver, type WebhookReceiver } from "../../test-support/webhook-receiver.js";
import { eventually, screenshot, signIn, startBrowserWorld, type BrowserWorld } from "./harness.js";

/**
 * A manager registers a webhook in the console, sees its secret, sends a test event to a real
 * receiver (which checks the signature with that secret) and watches the delivery; an agent
 * never sees the page.
 */
describe("the webhooks page in a real browser", () => {
  let world: BrowserWorld;
  let web: BrowserWorld["web"];
  let receiver: WebhookReceiver;
  let manager: Page;

  beforeAll(async () => {
    world = await startBrowserWorld({
      WEBHOOK_ALLOW_HTTP: "true",
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      WEBHOOK_POLL_INTERVAL_MS: "100",
    });
    ({ web } = world);
    receiver = await startWebhookReceiver();
    manager = await world.page({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await receiver?.close();
    await world?.stop();
  });

  it("a manager creates a webhook, reads its secret and gets a signed test event", async () => {
    await signIn(manager, web.url, "Mona Manager", "manager");
    await manager.getByRole("link", { name: "Webhooks" }).click();
    await manager.getByRole("button", { name: "New webhook" }).click();
    await manager.getByLabel("Endpoint URL").fill(receiver.url);
    await manager.getByRole("checkbox", { name: "RoomClosed" }).check();
    await manager.getByRole("button", { name: "Create webhook" }).click();

    const hook = manager.locator(".hook").filter({ hasText: receiver.url });
    await expect(hook.locator(".hook__types").textContent()).resolves.toBe(
      "MessagePosted, RoomClosed",
    );
    await hook.getByRole("button", { name: "Show" }).click();
    const secret = (await hook.locator(".hook__secret-value").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^whsec_/);

    await hook.getByRole("button", { name: "Send test event" }).click();
    await eventually(() => expect(receiver.received.length).toBe(1));
    const [got] = receiver.received;
    const timestamp = String(got!.headers["webhook-timestamp"]);
    const expected = createHmac("sha256", secret).update(`${timestamp}.${got!.body}`).digest("hex");
    expect(got!.headers["webhook-signature"]).toBe(`sha256=${expected}`);
    expect(JSON.parse(got!.body)).toMatchObject({ type: "WebhookTest" });

    await hook.getByRole("button", { name: "Deliveries" }).click();
    await eventually(async () => {
      await hook.getByRole("button", { name: "Refresh" }).click();
      await expect(hook.locator(".status").first().textContent()).resolves.toBe("delivered");
    });
    await expect(hook.locator(".deliveries__last").first().textContent()).resolves.toBe("HTTP 200");
    await screenshot(manager, "webhooks-page");

    await hook.getByRole("button", { name: "Deactivate" }).click();
    await eventually(() =>
      expect(hook.locator(".hook__state").textContent()).resolves.toBe("inactive"),
    );
  });

  it("refuses a URL the installation does not allow, with the reason, and adds nothing", async () => {
    await manager.getByRole("button", { name: "New webhook" }).click();
    await manager.getByLabel("Endpoint URL").fill("https://user:secret@hooks.example.com/in");
    await manager.getByRole("button", { name: "Create webhook" }).click();
    await eventually(() =>
      expect(manager.locator(".hooks__problem").textContent()).resolves.toMatch(/credentials/),
    );
    await expect(manager.locator(".hook").count()).resolves.toBe(1);
  });

  it("an agent has no link to it and is turned away from it", async () => {
    const agent = await world.page();
    await signIn(agent, web.url, "Andy Agent", "agent");
    await agent.waitForURL(/\/admin\/support$/);
    await expect(agent.getByRole("link", { name: "Webhooks" }).count()).resolves.toBe(0);
    await agent.goto(`${web.url}/admin/support/webhooks`);
    await agent.waitForURL(/\/not-allowed$/);
  });
});
