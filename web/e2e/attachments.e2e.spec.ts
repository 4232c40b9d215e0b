import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { exeBytes, solidPng } from "@support-chat/test-support/sample-files";
import {
  bubbles,
  eventually,
  screenshot,
  signIn,
  startBrowserWorld,
  type BrowserWorld,
} from "./harness.js";

/**
 * The agent attaches a photo in the console; the customer sees it as an image in the widget,
 * fetched with their own token. A disguised file is refused with the server's reason.
 */
describe("attachments in real browsers", () => {
  let world: BrowserWorld;
  let web: BrowserWorld["web"];
  let agent: Page;
  let customer: Page;
  let files: string;

  beforeAll(async () => {
    files = await mkdtemp(join(tmpdir(), "e2e-files-"));
    await writeFile(join(files, "replacement.png"), solidPng(96, [36, 84, 214]));
    await writeFile(join(files, "invoice.png"), exeBytes());
    world = await startBrowserWorld();
    ({ web } = world);
    [agent, customer] = await Promise.all([world.page(), world.page()]);
  });

  afterAll(async () => {
    await world?.stop();
    await rm(files, { recursive: true, force: true });
  });

  it("a customer writes from the widget and the agent opens the chat", async () => {
    await signIn(agent, web.url, "Alex", "agent");
    await agent.waitForURL(`${web.url}/admin/support`);
    await signIn(customer, web.url, "Clara", "customer");
    await customer.waitForURL(`${web.url}/`);
    await customer.getByRole("button", { name: /^Open chat/ }).click();
    const box = customer.getByRole("textbox", { name: "Message" });
    await box.fill("The vase arrived broken.");
    await box.press("Enter");
    await bubbles(customer, "The vase arrived broken.").waitFor();
    await agent.locator(".room", { hasText: "Clara" }).click();
    await bubbles(agent, "The vase arrived broken.").waitFor();
  });

  it("the agent sends an image with a caption; the customer sees the preview", async () => {
    await agent.getByRole("textbox", { name: "Message" }).fill("This is the replacement.");
    await agent.getByLabel("Attach a file").setInputFiles(join(files, "replacement.png"));
    await bubbles(customer, "This is the replacement.").waitFor();
    const preview = customer.getByRole("img", { name: "replacement.png" });
    await preview.waitFor();
    // The image really loaded (from a blob the widget fetched with the customer's token).
    await eventually(async () =>
      expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96),
    );
    expect(await preview.getAttribute("src")).toMatch(/^blob:/);
    await agent.getByRole("img", { name: "replacement.png" }).waitFor();
    await screenshot(customer, "attachment-customer-preview");
    await screenshot(agent, "attachment-agent");
  });

  it("a disguised file is refused with the reason, and nothing is sent", async () => {
    await agent.getByLabel("Attach a file").setInputFiles(join(files, "invoice.png"));
    await agent
      .getByRole("alert")
      .filter({ hasText: /content is application\/x-msdownload/ })
      .waitFor();
    await screenshot(agent, "attachment-refused");
    expect(await customer.getByText("invoice.png").count()).toBe(0);
  });
});
