import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  bubbles,
  eventually,
  restAs,
  screenshot,
  signIn,
  startBrowserWorld,
  type BrowserWorld,
} from "./harness.js";

/**
 * A customer on the storefront and an agent in the console, in two browser contexts, against
 * the whole backend: queue, assignment, typing, unread, read receipts, reload, a gateway
 * restart mid-conversation, and an XSS payload.
 */
describe("customer and agent in real browsers", () => {
  let world: BrowserWorld;
  let gateway: BrowserWorld["gateway"];
  let web: BrowserWorld["web"];
  let browser: Browser;
  let customerContext: BrowserContext;
  let agentContext: BrowserContext;
  let customer: Page;
  let agent: Page;

  beforeAll(async () => {
    // Manual routing: the room waits in the queue until the agent opens it (as in the seed).
    world = await startBrowserWorld({
      QUEUE_BROADCAST_MS: "1000",
      // One test posts a long history through REST in a burst.
      RATE_LIMIT_MESSAGES_PER_SECOND: "1000",
      RATE_LIMIT_MESSAGE_BURST: "1000",
    });
    ({ gateway, web, browser } = world);
    customerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    agentContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    customer = await customerContext.newPage();
    agent = await agentContext.newPage();
  });

  afterAll(async () => {
    await world?.stop();
  });

  const widgetLauncher = () => customer.locator("button.sc-launcher");
  const customerMessageBox = () => customer.getByRole("textbox", { name: "Message" });
  const agentMessageBox = () => agent.getByRole("textbox", { name: "Message" });
  const say = async (page: Page, text: string) => {
    await page.getByRole("textbox", { name: "Message" }).fill(text);
    await page.getByRole("textbox", { name: "Message" }).press("Enter");
  };
  const everyTextOnce = async (page: Page, texts: string[]) => {
    for (const text of texts) expect(await bubbles(page, text).count(), text).toBe(1);
  };

  const conversation: string[] = [];

  it("an agent signs in to the console and is available", async () => {
    await signIn(agent, web.url, "Alex", "agent");
    await agent.waitForURL(`${web.url}/admin/support`);
    await eventually(async () =>
      expect(await agent.getByRole("status").first().innerText()).toBe("Connected"),
    );
    await agent.getByLabel("Your status").selectOption("available");
    await eventually(async () =>
      expect(await agent.getByLabel("Your status").inputValue()).toBe("available"),
    );
  });

  it("a customer writes from the widget and waits in the queue", async () => {
    await signIn(customer, web.url, "Clara", "customer");
    await customer.waitForURL(`${web.url}/`);
    await customer.getByRole("heading", { name: "FullMag MagSafe Car Mount" }).waitFor();
    await screenshot(customer, "widget-closed");

    await customer.getByRole("button", { name: /^Open chat/ }).click();
    await customer.getByRole("dialog", { name: "Support chat" }).waitFor();
    const first = "Hi, my order #1042 has not arrived yet";
    await say(customer, first);
    conversation.push(first);
    await bubbles(customer, first).waitFor();
    await eventually(async () => expect(await customer.getByText("Sending…").count()).toBe(0));
    await customer.getByText(/^Waiting for support/).waitFor();
  });

  it("the waiting customer sees their place in the queue (queueUpdated push)", async () => {
    try {
      await customer.getByText(/number 1 in the queue/).waitFor({ timeout: 10_000 });
    } finally {
      await screenshot(customer, "widget-open-waiting");
    }
  });

  it("the agent is alerted, opens the chat and the customer sees them join", async () => {
    const alert = agent.locator(".alerts__item", { hasText: "Clara" });
    await alert.waitFor();
    await eventually(async () => expect(await agent.title()).toMatch(/^\(1\) Support console/));
    const room = agent.locator(".room", { hasText: "Clara" });
    expect(await room.locator(".badge").innerText()).toBe("Waiting");

    await room.click();
    await bubbles(agent, conversation[0]!).waitFor();
    await eventually(async () => expect(await agent.locator(".alerts__count").count()).toBe(0));
    await eventually(async () => expect(await agent.getByText("Load 1 /").count()).toBe(1));
    await eventually(async () => expect(await room.locator(".badge").innerText()).toBe("Active"));
    await customer.getByText("Connected with Alex").waitFor();
    await customer.locator(".sc-notice", { hasText: /Alex/ }).waitFor();
  });

  it("typing shows on both sides and switches off after a pause", async () => {
    await customerMessageBox().pressSequentially("It was supposed", { delay: 30 });
    await agent.getByText("Clara is typing…").waitFor();
    await agent.getByText("Clara is typing…").waitFor({ state: "detached", timeout: 10_000 });
    await customerMessageBox().fill("");

    await agentMessageBox().pressSequentially("Let me", { delay: 30 });
    await customer.getByText("Alex is typing…").waitFor();
    await agentMessageBox().fill("");
  });

  it("messages go both ways; unread counts while minimized and clears when read", async () => {
    const reply = "Let me check that for you, Clara.";
    await say(agent, reply);
    conversation.push(reply);
    await bubbles(customer, reply).waitFor();
    expect(await customer.getByText("Alex is typing…").count()).toBe(0);

    await customer.getByRole("button", { name: "Minimize chat" }).click();
    const news = "It left our warehouse today <b>tracking</b> FM-88231.";
    await say(agent, news);
    conversation.push(news);
    await eventually(async () =>
      expect(await widgetLauncher().getAttribute("aria-label")).toBe("Open chat, 1 unread message"),
    );
    expect(await customer.locator(".sc-launcher__badge").innerText()).toBe("1");
    const sent = agent.locator(".sc-message--mine", { hasText: "warehouse" });
    expect(await sent.locator(".sc-message__meta").innerText()).not.toContain("Seen");
    await screenshot(customer, "widget-closed-unread");

    await widgetLauncher().click();
    await bubbles(customer, news).waitFor();
    await eventually(async () =>
      expect(await customer.locator(".sc-launcher__badge").count()).toBe(0),
    );
    await eventually(async () =>
      expect(await sent.locator(".sc-message__meta").innerText()).toContain("Seen"),
    );
    await screenshot(customer, "widget-open");
    await screenshot(agent, "console");
  });

  it("the agent's sidebar counts unread messages of a chat that is not in front", async () => {
    await agent.getByRole("button", { name: "Close tab Clara" }).click();
    const text = "Thanks! Can I change the delivery address?";
    await say(customer, text);
    conversation.push(text);
    const room = agent.locator(".room", { hasText: "Clara" });
    await eventually(async () =>
      expect(await room.locator(".room__unread").innerText()).toMatch(/^1/),
    );
    await room.click();
    await bubbles(agent, text).waitFor();
    await eventually(async () => expect(await room.locator(".room__unread").count()).toBe(0));
  });

  it("the customer reloads and sees the same history, each message once", async () => {
    await customer.reload();
    await customer.getByRole("dialog", { name: "Support chat" }).waitFor();
    await bubbles(customer, conversation.at(-1)!).waitFor();
    await everyTextOnce(customer, conversation);
  });

  it("both sides recover from a gateway restart with every message shown once", async () => {
    await gateway.stop();
    await customer.getByText(/Reconnecting/).waitFor();
    await agent.getByText(/Reconnecting/).waitFor();

    const whileDown = "Are you still there?";
    await say(customer, whileDown);
    conversation.push(whileDown);
    await customer.getByText("Sending…").waitFor();

    await gateway.start();
    await eventually(
      async () => expect(await customer.getByText(/Reconnecting/).count()).toBe(0),
      30_000,
    );
    await eventually(
      async () => expect(await agent.getByText("Connected", { exact: true }).count()).toBe(1),
      30_000,
    );
    await bubbles(agent, whileDown).waitFor({ timeout: 20_000 });
    await eventually(async () => expect(await customer.getByText("Sending…").count()).toBe(0));

    const after = "Yes, still here. Address changed to Main Street 5.";
    await say(agent, after);
    conversation.push(after);
    await bubbles(customer, after).waitFor();
    await everyTextOnce(customer, conversation);
    await everyTextOnce(agent, conversation);
  });

  it("an HTML or script payload shows as text and runs nothing", async () => {
    const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
    await say(customer, payload);
    conversation.push(payload);
    await bubbles(agent, payload).waitFor();
    await bubbles(customer, payload).waitFor();
    for (const page of [agent, customer]) {
      expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
      expect(await page.locator(".sc-message img, .sc-message script").count()).toBe(0);
    }
    await screenshot(agent, "console-after-restart");
  });

  it("on a phone the open widget fills the screen", async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      storageState: await customerContext.storageState(),
    });
    const page = await phone.newPage();
    await page.goto(web.url);
    const dialog = page.getByRole("dialog", { name: "Support chat" });
    await dialog.waitFor();
    await bubbles(page, conversation.at(-1)!).waitFor();
    const box = await dialog.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    await screenshot(page, "widget-mobile");
    await page.getByRole("button", { name: "Minimize chat" }).click();
    await screenshot(page, "widget-mobile-closed");
    await phone.close();
  });

  it("the agent closes the chat; the customer can start a new one", async () => {
    await agent.getByRole("button", { name: "Close chat" }).click();
    const room = agent.locator(".room", { hasText: "Clara" });
    await agent.getByText("This chat is closed.").waitFor();
    await customer.getByText("This chat has ended. Thanks for talking to us!").waitFor();
    await agent.getByRole("button", { name: /^Closed/ }).click();
    await eventually(async () => expect(await room.locator(".badge").innerText()).toBe("Closed"));
    await customer.getByRole("button", { name: "Start a new chat" }).click();
    await customerMessageBox().waitFor();
    expect(await customer.locator(".sc-message").count()).toBe(0);
  });

  it("a long chat loads in pages as the agent scrolls up; news below shows a marker", async () => {
    const dora = await restAs(gateway.url, "Dora", "customer");
    const room = await dora.call<{ id: string }>("GET", "/chat/room");
    const lines = Array.from({ length: 70 }, (_, i) => `Line ${i + 1}`);
    for (const [i, message] of lines.entries()) {
      await dora.call("POST", `/chat/room/${room.id}/messages`, {
        message,
        clientMessageId: `dora-${i + 1}`,
      });
    }
    await agent.getByRole("button", { name: /^All/ }).click();
    const item = agent.locator(".room", { hasText: "Dora" });
    await item.click();
    await bubbles(agent, "Line 70").waitFor();
    const shown = () =>
      agent
        .locator(".pane .sc-message__text")
        .evaluateAll((els) => els.map((el) => el.textContent));
    expect(await shown()).toEqual(lines.slice(20));
    await agent.getByRole("button", { name: "Load earlier messages" }).waitFor();

    await agent.locator(".pane .sc-list").evaluate((el) => el.scrollTo(0, 0));
    await bubbles(agent, "Line 1").waitFor();
    expect(await shown()).toEqual(lines);
    expect(await agent.getByRole("button", { name: "Load earlier messages" }).count()).toBe(0);

    await agent.locator(".pane .sc-list").evaluate((el) => el.scrollTo(0, 0));
    await dora.call("POST", `/chat/room/${room.id}/messages`, {
      message: "Line 71",
      clientMessageId: "dora-71",
    });
    const marker = agent.getByRole("button", { name: /1 new message/ });
    await marker.waitFor();
    await screenshot(agent, "console-new-messages-marker");
    await marker.click();
    await eventually(async () => expect(await marker.count()).toBe(0));
    const atBottom = await agent
      .locator(".pane .sc-list")
      .evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 48);
    expect(atBottom).toBe(true);
  });
});
