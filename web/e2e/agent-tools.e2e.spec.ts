import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
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
 * An agent's tools in a real browser: a private note in the timeline, a label on the room, the
 * room list filtered by label, and a search whose result opens the conversation at the
 * matching message, far back in its history. The customer, in another browser, sees the
 * conversation and never the note or the label.
 */
describe("notes, labels and search in the support console", () => {
  let world: BrowserWorld;
  let gateway: BrowserWorld["gateway"];
  let web: BrowserWorld["web"];
  let agent: Page;
  let customer: Page;
  const HISTORY = 60;
  const MATCH_SEQ = 5;
  const note = "Refund approved by finance <img src=x onerror=alert(1)> ref FIN-7731";

  beforeAll(async () => {
    world = await startBrowserWorld({
      RATE_LIMIT_MESSAGES_PER_SECOND: "1000",
      RATE_LIMIT_MESSAGE_BURST: "1000",
    });
    ({ gateway, web } = world);
    agent = await world.page({ viewport: { width: 1440, height: 900 } });
    customer = await world.page({ viewport: { width: 1280, height: 800 } });

    // Two customers write in before the agent arrives; Carla's history is long.
    const carla = await restAs(gateway.url, "Carla", "customer");
    const carlaRoom = await carla.call<{ id: string }>("GET", "/chat/room");
    for (let seq = 1; seq <= HISTORY; seq++) {
      const message =
        seq === MATCH_SEQ
          ? "My FullMag-X2 jacket came in the wrong Größe"
          : `Carla's line number ${seq}`;
      await carla.call("POST", `/chat/room/${carlaRoom.id}/messages`, {
        message,
        clientMessageId: `seed-${seq}`,
      });
    }
    const bruno = await restAs(gateway.url, "Bruno", "customer");
    const brunoRoom = await bruno.call<{ id: string }>("GET", "/chat/room");
    await bruno.call("POST", `/chat/room/${brunoRoom.id}/messages`, {
      message: "The zipper of my bag broke",
      clientMessageId: "seed-1",
    });
  });

  afterAll(async () => {
    await world?.stop();
  });

  const roomItem = (name: string) => agent.locator(".room", { hasText: name });
  const pane = () => agent.locator("section.pane");

  it("the agent opens Carla's chat and adds a private note, shown apart from messages", async () => {
    await signIn(agent, web.url, "Alex", "agent");
    await agent.waitForURL(`${web.url}/admin/support`);
    await agent.getByLabel("Your status").selectOption("available");
    await roomItem("Carla").click();
    await bubbles(agent, `Carla's line number ${HISTORY}`).waitFor();

    await agent.getByRole("button", { name: "+ Internal note" }).click();
    await agent.getByRole("textbox", { name: "Internal note text" }).fill(note);
    await agent.getByRole("button", { name: "Add note" }).click();
    const shown = pane().locator(".note", { hasText: "FIN-7731" });
    await shown.waitFor();
    expect(await shown.locator(".note__tag").innerText()).toMatch(/internal note/i);
    // Markup in a note is text: the literal tag shows, and no image element was made.
    expect(await shown.locator(".note__text").innerText()).toBe(note);
    expect(await shown.locator("img").count()).toBe(0);
    // It sits after the last message, inside the conversation, not as a message bubble.
    const order = await pane()
      .locator(".sc-list__items > li")
      .evaluateAll((lis) => lis.slice(-2).map((li) => li.className));
    expect(order[0]).toContain("sc-message");
    expect(order[1]).toContain("note");
    await screenshot(agent, "agent-tools-note");
  });

  it("the agent labels the room; the label shows on the chat and in the list", async () => {
    await agent.getByLabel("Add label").fill("Refund ");
    await agent.getByLabel("Add label").press("Enter");
    await pane().locator(".label", { hasText: "refund" }).waitFor();
    await roomItem("Carla").locator(".room__label", { hasText: "refund" }).waitFor();
    expect(await roomItem("Bruno").locator(".room__label").count()).toBe(0);
  });

  it("the room list filters by label", async () => {
    await agent.getByLabel("Filter by label").selectOption("refund");
    await eventually(async () => expect(await agent.locator(".room").count()).toBe(1));
    expect(await roomItem("Carla").count()).toBe(1);
    await screenshot(agent, "agent-tools-label-filter");
    await agent.getByLabel("Filter by label").selectOption("");
    await eventually(async () => expect(await roomItem("Bruno").count()).toBe(1));
  });

  it("a search finds the old message and opens the chat there, highlighted", async () => {
    await agent.getByRole("button", { name: `Close tab Carla` }).click();
    await agent.getByRole("searchbox", { name: "Search conversations" }).fill("größe");
    await agent.getByRole("button", { name: "Search", exact: true }).click();
    const hit = agent.locator(".hit", { hasText: "Carla" });
    await hit.waitFor();
    expect(await hit.locator("mark").first().innerText()).toBe("Größe");
    expect(await agent.locator(".hit").count()).toBe(1);

    await hit.click();
    const focused = pane().locator(".sc-message--focused");
    await focused.waitFor();
    expect(await focused.getAttribute("data-seq")).toBe(String(MATCH_SEQ));
    expect(await focused.innerText()).toContain("wrong Größe");
    // Far back in the history: loaded, and scrolled into view.
    await eventually(async () => {
      const list = await pane().locator(".sc-list").boundingBox();
      const line = await focused.boundingBox();
      expect(line && list && line.y >= list.y && line.y + line.height <= list.y + list.height).toBe(
        true,
      );
    });
    await screenshot(agent, "agent-tools-search-result");
  });

  it("a search finds the note too, and opens it", async () => {
    await agent.getByRole("searchbox", { name: "Search conversations" }).fill("FIN-7731");
    await agent.getByRole("button", { name: "Search", exact: true }).click();
    const hit = agent.locator(".hit", { hasText: "Internal note" });
    await hit.waitFor();
    await hit.click();
    await pane().locator(".note--focused", { hasText: "FIN-7731" }).waitFor();
  });

  it("the customer sees the conversation, and neither the note nor the label", async () => {
    const reply = "We have approved your refund, Carla.";
    await agent.getByRole("textbox", { name: "Message" }).fill(reply);
    await agent.getByRole("textbox", { name: "Message" }).press("Enter");

    await signIn(customer, web.url, "Carla", "customer");
    await customer.waitForURL(`${web.url}/`);
    await customer.getByRole("button", { name: /^Open chat/ }).click();
    await customer.getByRole("dialog", { name: "Support chat" }).waitFor();
    // A fresh browser knows no room yet: the first message finds the customer's open one.
    await customer.getByRole("textbox", { name: "Message" }).fill("Any news on my refund?");
    await customer.getByRole("textbox", { name: "Message" }).press("Enter");
    try {
      await bubbles(customer, reply).waitFor();
      await bubbles(customer, `Carla's line number ${HISTORY}`).waitFor();
    } finally {
      await screenshot(agent, "agent-tools-reply");
      await screenshot(customer, "agent-tools-customer-view");
    }
    const page = await customer.content();
    expect(page).not.toContain("FIN-7731");
    expect(page).not.toContain("Refund approved");
    expect(page).not.toMatch(/internal note/i);
    expect(page).not.toContain("refund<");
    await screenshot(customer, "agent-tools-customer-view");
  });
});
