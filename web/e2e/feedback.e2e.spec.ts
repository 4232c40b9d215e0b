import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startSmtpSink, type SmtpSink } from "../../system-tests/src/smtp-sink.js";
import {
  bubbles,
  eventually,
  screenshot,
  signIn,
  startBrowserWorld,
  type BrowserWorld,
} from "./harness.js";

/**
 * After the chat: the customer rates it in the widget and has the transcript e-mailed (to a
 * real SMTP server in the test); the agent sees the rating live in the console.
 */
describe("rating a chat and e-mailing its transcript in real browsers", () => {
  let smtp: SmtpSink;
  let world: BrowserWorld;
  let web: BrowserWorld["web"];
  let customer: Page;
  let agent: Page;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    world = await startBrowserWorld({ SMTP_URL: smtp.url });
    ({ web } = world);
    customer = await world.page({ viewport: { width: 1280, height: 800 } });
    agent = await world.page({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await world?.stop();
    await smtp?.close();
  });

  const say = async (page: Page, text: string) => {
    await page.getByRole("textbox", { name: "Message" }).fill(text);
    await page.getByRole("textbox", { name: "Message" }).press("Enter");
  };

  it("the customer talks to an agent, the agent closes the chat", async () => {
    await signIn(agent, web.url, "Rita", "agent");
    await agent.waitForURL(`${web.url}/admin/support`);
    await signIn(customer, web.url, "Hugo", "customer");
    await customer.waitForURL(`${web.url}/`);
    await customer.getByRole("button", { name: /^Open chat/ }).click();
    await say(customer, "Does the mount fit a <b>Pixel</b>?");

    const room = agent.locator(".room", { hasText: "Hugo" });
    await room.click();
    await bubbles(agent, "Does the mount fit a <b>Pixel</b>?").waitFor();
    await say(agent, "Yes, with the MagSafe ring.");
    await bubbles(customer, "Yes, with the MagSafe ring.").waitFor();

    // The customer opts in to the transcript at the end, to another address.
    await customer.getByText("E-mail me the transcript when the chat ends").click();
    await customer
      .getByRole("textbox", { name: "E-mail address for the transcript at the end" })
      .fill("hugo.later@shop.example");
    const saved = customer.waitForResponse((r) => r.url().includes("/transcript-at-close"));
    await customer.getByRole("checkbox", { name: "Send it to me" }).check();
    expect((await saved).status()).toBe(200);

    await agent.getByRole("button", { name: "Close chat" }).click();
    await customer.getByText("This chat has ended. Thanks for talking to us!").waitFor();
    await eventually(() => expect(smtp.to("hugo.later@shop.example")).toHaveLength(1));
  });

  it("the customer rates the chat in the widget and the console shows it at once", async () => {
    await customer.getByText("How did we do?").waitFor();
    await customer.locator(".sc-feedback__stars label").nth(3).click();
    await customer.getByRole("textbox", { name: "Comment" }).fill("Quick <and> kind");
    await customer.getByRole("button", { name: "Send rating" }).click();
    await customer.getByText("You rated this chat 4 of 5. Thank you!").waitFor();
    await screenshot(customer, "widget-rated");

    // The agent's console follows the push: the room's header and its place in the list.
    const header = agent.locator(".pane__header [data-test=room-rating]");
    await eventually(async () =>
      expect(await header.getAttribute("aria-label")).toBe("Rated 4 of 5: Quick <and> kind"),
    );
    expect(await header.innerText()).toContain("★★★★☆");
    expect(await header.innerText()).toContain("Quick <and> kind");
    await agent.getByRole("button", { name: /^Closed/ }).click();
    const listed = agent.locator(".room", { hasText: "Hugo" }).locator("[data-test=room-rating]");
    await eventually(async () => expect(await listed.innerText()).toBe("★★★★☆"));
    await screenshot(agent, "console-rated");
  });

  it("a manager sees the widget's rating in the reports", async () => {
    const manager = await world.page({ viewport: { width: 1360, height: 1100 } });
    await signIn(manager, web.url, "Mia", "manager");
    await manager.waitForURL(`${web.url}/admin/support`);
    await manager.getByRole("link", { name: "Reports" }).click();
    await manager.waitForURL(`${web.url}/admin/support/reports`);
    const csat = manager.getByRole("article", { name: "CSAT" });
    // A 4 of 5 is a satisfied customer: one rating, all satisfied.
    await eventually(async () =>
      expect(await csat.locator(".tile__value").innerText()).toBe("100 %"),
    );
    expect(await csat.innerText()).toContain("average 4.0 / 5 from 1 rating");
    expect(await manager.getByRole("row", { name: /Rita/ }).innerText()).toMatch(/\b4(\.0)? \(1\)/);
    await screenshot(manager, "reports-rated");
    await manager.context().close();
  });

  it("the customer has the transcript e-mailed; it arrives once, escaped", async () => {
    await customer
      .getByRole("textbox", { name: "E-mail address for the transcript" })
      .fill("hugo@shop.example");
    await customer.getByRole("button", { name: "E-mail me the transcript" }).click();
    await customer.getByText("We are sending the transcript to hugo@shop.example.").waitFor();
    await eventually(() => expect(smtp.to("hugo@shop.example")).toHaveLength(1));
    const [mail] = smtp.to("hugo@shop.example");
    expect(mail!.text).toContain("Hugo: Does the mount fit a <b>Pixel</b>?");
    expect(mail!.html).toContain("Does the mount fit a &lt;b&gt;Pixel&lt;/b&gt;?");
  });
});
