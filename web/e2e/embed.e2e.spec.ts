import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { startStack, type Stack } from "../../system-tests/src/stack.js";
import {
  bubbles,
  eventually,
  freePort,
  launchChromium,
  restAs,
  screenshot,
  webRoot,
} from "./harness.js";

/** Any storefront page: one script tag and SupportChat.init, on an origin of its own. */
const storefrontPage = (gatewayUrl: string, token: string, locale?: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another shop</title></head>
<body style="font-family: serif; background: #fdf6e3">
  <h1>Another shop</h1><p>Any storefront can embed the chat.</p>
  <script src="/support-chat.js"></script>
  <script>
    window.chat = SupportChat.init({ gatewayUrl: ${JSON.stringify(gatewayUrl)}, token: ${JSON.stringify(token)}, locale: ${JSON.stringify(locale)} });
  </script>
</body></html>`;

describe("the embeddable widget on another site", () => {
  let stack: Stack;
  let site: Server;
  let siteUrl: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    if (process.env.E2E_REUSE_BUILD !== "1") {
      await build({
        root: webRoot,
        configFile: join(webRoot, "vite.embed.config.ts"),
        logLevel: "warn",
      });
    }
    const script = readFileSync(join(webRoot, "dist", "embed", "support-chat.js"));
    const customer = await restAs(stack.gatewayUrl, "Erin", "customer");
    const html = storefrontPage(stack.gatewayUrl, customer.token);
    // A German shop: the page asks the widget for German, whatever the browser speaks.
    const germanCustomer = await restAs(stack.gatewayUrl, "Frieda", "customer");
    const germanHtml = storefrontPage(stack.gatewayUrl, germanCustomer.token, "de");
    site = createServer((req, res) => {
      if (req.url === "/support-chat.js") {
        res.writeHead(200, { "Content-Type": "text/javascript" }).end(script);
      } else {
        const page = req.url === "/de" ? germanHtml : html;
        res.writeHead(200, { "Content-Type": "text/html" }).end(page);
      }
    });
    const port = await freePort();
    await new Promise<void>((resolve) => site.listen(port, "127.0.0.1", resolve));
    siteUrl = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1100, height: 760 } })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await stack?.stop();
  });

  it("chats with support from a page that only has the script tag", async () => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(siteUrl);
    await page.getByRole("button", { name: /^Open chat/ }).click();
    const question = "Do you ship to Iceland?";
    await page.getByRole("textbox", { name: "Message" }).fill(question);
    await page.getByRole("button", { name: "Send" }).click();
    await bubbles(page, question).waitFor();
    await eventually(async () => expect(await page.getByText("Sending…").count()).toBe(0));

    const agent = await restAs(stack.gatewayUrl, "Alex", "agent");
    const rooms = await agent.call<{ id: string; lastMessage: string }[]>(
      "GET",
      "/chat/support/rooms?status=waiting,open",
    );
    const room = rooms.find((r) => r.lastMessage === question);
    expect(room).toBeDefined();
    await agent.call("POST", `/chat/support/room/${room!.id}/assign`);
    const answer = "Yes, in 3 to 5 days.";
    await agent.call("POST", `/chat/room/${room!.id}/messages`, {
      message: answer,
      clientMessageId: "embed-e2e-answer",
    });

    await bubbles(page, answer).waitFor();
    await page.getByText("Connected with Alex").waitFor();
    // Open and on screen: the answer counts as read at once.
    await eventually(async () => expect(await page.locator(".sc-launcher__badge").count()).toBe(0));
    await screenshot(page, "embed-widget");
    expect(errors).toEqual([]);
  });

  it("speaks the shop's German, counts unread messages in it and switches at once", async () => {
    // Another visitor, in a browser of their own (nothing remembered from the chat above).
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${siteUrl}/de`);
    await page.getByRole("button", { name: "Chat öffnen" }).click();
    await page.getByRole("dialog", { name: "Support-Chat" }).waitFor();
    const question = "Liefern Sie auch nach Island?";
    await page.getByRole("textbox", { name: "Nachricht" }).fill(question);
    await page.getByRole("button", { name: "Senden" }).click();
    await bubbles(page, question).waitFor();
    await page.getByRole("button", { name: "Chat schließen" }).click();

    const agent = await restAs(stack.gatewayUrl, "Alex", "agent");
    const rooms = await agent.call<{ id: string; lastMessage: string }[]>(
      "GET",
      "/chat/support/rooms?status=waiting,open",
    );
    const room = rooms.find((r) => r.lastMessage === question);
    expect(room).toBeDefined();
    await agent.call("POST", `/chat/support/room/${room!.id}/assign`);
    for (const [i, answer] of ["Ja, gern.", "In 3 bis 5 Tagen."].entries()) {
      await agent.call("POST", `/chat/room/${room!.id}/messages`, {
        message: answer,
        clientMessageId: `embed-e2e-de-${i}`,
      });
    }
    const launcher = page.getByRole("button", { name: "Chat öffnen, 2 ungelesene Nachrichten" });
    await launcher.waitFor();
    await launcher.click();
    await page.getByText("Verbunden mit Alex").waitFor();
    await bubbles(page, "In 3 bis 5 Tagen.").waitFor();
    await screenshot(page, "embed-widget-de");

    await page.locator(".sc-window").getByLabel("Sprache").selectOption("es");
    await page.getByRole("dialog", { name: "Chat de soporte" }).waitFor();
    await page.getByText("Conectado con Alex").waitFor();
    expect(await page.locator(".sc-widget").getAttribute("lang")).toBe("es");
    expect(errors).toEqual([]);
    await context.close();
  });
});
