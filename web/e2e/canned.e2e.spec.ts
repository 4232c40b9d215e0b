import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  bubbles,
  eventually,
  screenshot,
  signIn,
  startBrowserWorld,
  type BrowserWorld,
} from "./harness.js";

/**
 * A manager keeps canned responses in the console; an agent, whose console learns of them
 * live, inserts one by typing its shortcut, edits nothing, sends it; the customer receives it.
 */
describe("canned responses in real browsers", () => {
  let world: BrowserWorld;
  let web: BrowserWorld["web"];
  let manager: Page;
  let agent: Page;
  let customer: Page;

  const REPLY = "Parcels arrive within 3 working days. You will get a tracking link by e-mail.";

  beforeAll(async () => {
    world = await startBrowserWorld();
    ({ web } = world);
    [manager, agent, customer] = await Promise.all([world.page(), world.page(), world.page()]);
  });

  afterAll(async () => {
    await world?.stop();
  });

  const connected = (page: Page) =>
    eventually(async () =>
      expect(await page.getByRole("status").first().innerText()).toBe("Connected"),
    );

  it("an agent has the console open (no canned responses yet)", async () => {
    await signIn(agent, web.url, "Alex", "agent");
    await agent.waitForURL(`${web.url}/admin/support`);
    await connected(agent);
    // Only managers and admins get the management view.
    expect(await agent.getByRole("button", { name: "Canned responses", exact: true }).count()).toBe(
      0,
    );
  });

  it("a manager adds one in the console, after being told what was wrong with the first try", async () => {
    await signIn(manager, web.url, "Mia", "manager");
    await manager.waitForURL(`${web.url}/admin/support`);
    await connected(manager);
    await manager.getByRole("button", { name: "Canned responses", exact: true }).click();
    const dialog = manager.getByRole("dialog", { name: "Canned responses" });
    await dialog.waitFor();

    await dialog.getByLabel("Title").fill("Delivery times");
    await dialog.getByLabel("Shortcut").fill("delivery time");
    await dialog.getByRole("button", { name: "Add canned response" }).click();
    await dialog.getByText("Only letters a–z, digits, _ and -.").waitFor();
    await dialog.getByText("Write the reply.").waitFor();
    await screenshot(manager, "canned-manager-errors");

    await dialog.getByLabel("Shortcut").fill("/Delivery");
    await dialog.getByLabel("Text").fill(REPLY);
    await dialog.getByRole("button", { name: "Add canned response" }).click();
    await dialog.getByText("Saved /delivery.").waitFor();
    await dialog.locator(".manager__item", { hasText: "/delivery" }).waitFor();

    // The server's refusal shows too: the shortcut is taken now.
    await dialog.getByLabel("Title").fill("Another delivery text");
    await dialog.getByLabel("Shortcut").fill("delivery");
    await dialog.getByLabel("Text").fill("Soon.");
    await dialog.getByRole("button", { name: "Add canned response" }).click();
    await dialog
      .getByRole("alert")
      .filter({ hasText: /\/delivery is already used/ })
      .waitFor();
    await screenshot(manager, "canned-manager");
    await dialog.getByRole("button", { name: "Close" }).click();
  });

  it("a customer writes from the widget and the agent opens the chat", async () => {
    await signIn(customer, web.url, "Clara", "customer");
    await customer.waitForURL(`${web.url}/`);
    await customer.getByRole("button", { name: /^Open chat/ }).click();
    const box = customer.getByRole("textbox", { name: "Message" });
    await box.fill("When will my parcel arrive?");
    await box.press("Enter");
    await bubbles(customer, "When will my parcel arrive?").waitFor();

    await agent.locator(".room", { hasText: "Clara" }).click();
    await bubbles(agent, "When will my parcel arrive?").waitFor();
  });

  it("the agent types /deli, picks the reply with the keyboard, sends it; the customer gets it", async () => {
    const box = agent.getByRole("textbox", { name: "Message" });
    await box.pressSequentially("/deli", { delay: 20 });
    // The manager's response reached this console live, without a reload.
    const option = agent.getByRole("option", { name: /\/delivery/ });
    await option.waitFor();
    expect(await option.getAttribute("aria-selected")).toBe("true");
    await screenshot(agent, "canned-picker");

    await box.press("Enter");
    await eventually(async () => expect(await box.inputValue()).toBe(REPLY));
    expect(await agent.getByRole("listbox", { name: "Canned responses" }).count()).toBe(0);
    // Nothing was sent by that Enter: the text waits in the composer to be edited.
    expect(await bubbles(agent, REPLY).count()).toBe(0);

    await box.press("End");
    await box.pressSequentially(" Thanks for waiting!", { delay: 10 });
    await box.press("Enter");
    const sent = `${REPLY} Thanks for waiting!`;
    await bubbles(customer, sent).waitFor();
    await bubbles(agent, sent).waitFor();
    await screenshot(customer, "canned-received");
  });

  it("the picker button lists every canned response, and Esc closes it", async () => {
    await agent.getByRole("button", { name: "Canned responses" }).click();
    const list = agent.getByRole("listbox", { name: "Canned responses" });
    await list.waitFor();
    expect(await list.getByRole("option").allInnerTexts()).toEqual([
      expect.stringContaining("/delivery"),
    ]);
    await screenshot(agent, "canned-picker-all");
    await agent.keyboard.press("Escape");
    await list.waitFor({ state: "detached" });
  });
});
