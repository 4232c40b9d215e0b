import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { solidPng } from "@support-chat/test-support/sample-files";
import {
  bubbles,
  eventually,
  restAs,
  screenshot,
  signIn,
  startBrowserWorld,
  type BrowserWorld,
} from "./harness.js";

const CANNED = "Returns are free within 30 days; the label is in your order e-mail.";
const NOTE = "Customer already got a goodwill voucher in March (VCH-5521).";

/**
 * The agent's tools in one conversation: an image, a canned response and a private note. The
 * customer's widget shows the first two, live and after a reload, and never the note.
 */
describe("an agent answers with an image, a canned response and a private note", () => {
  let world: BrowserWorld;
  let web: BrowserWorld["web"];
  let agent: Page;
  let customer: Page;
  let files: string;

  beforeAll(async () => {
    files = await mkdtemp(join(tmpdir(), "e2e-flow-"));
    await writeFile(join(files, "return-label.png"), solidPng(64, [214, 84, 36]));
    world = await startBrowserWorld();
    web = world.web;
    const manager = await restAs(world.gateway.url, "Mia", "manager");
    await manager.call("POST", "/chat/support/canned-responses", {
      title: "Returns",
      shortcut: "returns",
      text: CANNED,
    });
    [agent, customer] = await Promise.all([world.page(), world.page()]);
  });

  afterAll(async () => {
    await world?.stop();
    await rm(files, { recursive: true, force: true });
  });

  const noteNowhere = async () => {
    const html = await customer.content();
    expect(html).not.toContain("VCH-5521");
    expect(html).not.toContain("goodwill voucher");
    expect(html).not.toMatch(/internal note/i);
  };

  it("a customer writes from the widget and the agent opens the chat", async () => {
    await signIn(agent, web.url, "Alex", "agent");
    await agent.waitForURL(`${web.url}/admin/support`);
    await signIn(customer, web.url, "Clara", "customer");
    await customer.waitForURL(`${web.url}/`);
    await customer.getByRole("button", { name: /^Open chat/ }).click();
    const box = customer.getByRole("textbox", { name: "Message" });
    await box.fill("How do I send the lamp back?");
    await box.press("Enter");
    await bubbles(customer, "How do I send the lamp back?").waitFor();
    await agent.locator(".room", { hasText: "Clara" }).click();
    await bubbles(agent, "How do I send the lamp back?").waitFor();
  });

  it("the agent adds a private note; only the console shows it", async () => {
    await agent.getByRole("button", { name: "+ Internal note" }).click();
    await agent.getByRole("textbox", { name: "Internal note text" }).fill(NOTE);
    await agent.getByRole("button", { name: "Add note" }).click();
    await agent.locator(".note", { hasText: "VCH-5521" }).waitFor();
    await noteNowhere();
  });

  it("the agent inserts the canned response with /returns and sends it; the customer gets it", async () => {
    const box = agent.getByRole("textbox", { name: "Message" });
    await box.pressSequentially("/ret", { delay: 20 });
    await agent.getByRole("option", { name: /\/returns/ }).waitFor();
    await box.press("Enter");
    await eventually(async () => expect(await box.inputValue()).toBe(CANNED));
    await box.press("Enter");
    await bubbles(customer, CANNED).waitFor();
    await noteNowhere();
  });

  it("the agent sends an image; the customer sees the preview", async () => {
    await agent.getByRole("textbox", { name: "Message" }).fill("Print this label.");
    await agent.getByLabel("Attach a file").setInputFiles(join(files, "return-label.png"));
    await bubbles(customer, "Print this label.").waitFor();
    const preview = customer.getByRole("img", { name: "return-label.png" });
    await eventually(async () =>
      expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64),
    );
    await screenshot(agent, "agent-tools-flow-console");
    await screenshot(customer, "agent-tools-flow-widget");
    await noteNowhere();
  });

  it("after a reload the customer's history has the image and the canned reply, never the note", async () => {
    await customer.reload();
    const launcher = customer.getByRole("button", { name: /^Open chat/ });
    if (await launcher.isVisible()) await launcher.click();
    await bubbles(customer, CANNED).waitFor();
    await bubbles(customer, "Print this label.").waitFor();
    await customer.getByRole("img", { name: "return-label.png" }).waitFor();
    await noteNowhere();
  });
});
