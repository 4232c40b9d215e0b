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
const storefrontPage = (gatewayUrl: string, token: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another shop</title></head>
<body style="font-family: serif; background: #fdf6e3">
  <h1>Another shop</h1><p>Any storefront can embed the chat.</p>
  <script src="/support-chat.js"></script>
  <script>
    window.chat = SupportChat.init({ gatewayUrl: ${JSON.stringify(gatewayUrl)}, token: ${JSON.stringify(token)} });
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
    site = createServer((req, res) => {
      if (req.url === "/support-chat.js") {
        res.writeHead(200, { "Content-Type": "text/javascript" }).end(script);
      } else res.writeHead(200, { "Content-Type": "text/html" }).end(html);
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
});
