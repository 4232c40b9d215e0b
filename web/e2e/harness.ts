import { createServer } from "node:net";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  chromium,
  type Browser,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { vi } from "vitest";
import { GatewayEnv, startGatewayService, type GatewayHandle } from "@support-chat/gateway-service";
import { createLogger, loadConfig } from "@support-chat/service-kit";
import { startStack, type Stack } from "../../system-tests/src/stack.js";

export const webRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const resultsDir = join(webRoot, "test-results");

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/**
 * A gateway on a fixed port, so it can be stopped and started again where the web app's proxy
 * (and so every browser) expects it: a restart as operators do one.
 */
export const restartableGateway = async (env: Record<string, string>) => {
  const port = await freePort();
  const level = process.env.TEST_LOG_LEVEL ?? "silent";
  let current: GatewayHandle | null = null;
  const start = async () => {
    current = await startGatewayService(
      loadConfig(GatewayEnv, { ...env, GATEWAY_PORT: String(port) }),
      createLogger("gateway-service", level),
    );
  };
  const stop = async () => {
    await current?.stop();
    current = null;
  };
  await start();
  return { url: `http://127.0.0.1:${port}`, start, stop };
};

/** Builds the app (unless E2E_REUSE_BUILD=1) and serves it with the proxy to the gateway. */
export const serveWebApp = async (
  gatewayUrl: string,
): Promise<{ url: string; close: () => Promise<void> }> => {
  const port = await freePort();
  process.env.GATEWAY_URL = gatewayUrl;
  process.env.WEB_PORT = String(port);
  const configFile = join(webRoot, "vite.config.ts");
  if (process.env.E2E_REUSE_BUILD !== "1") {
    await build({ root: webRoot, configFile, logLevel: "warn", build: { sourcemap: false } });
  }
  const server: PreviewServer = await preview({ root: webRoot, configFile, logLevel: "silent" });
  return {
    url: `http://localhost:${port}`,
    close: () => server.close(),
  };
};

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
  });

export const screenshot = async (page: Page, name: string) => {
  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: join(resultsDir, `${name}.png`) });
};

/** Polls until the assertion passes (never a fixed sleep). */
export const eventually = (assertion: () => Promise<void> | void, timeout = 15_000) =>
  vi.waitFor(assertion, { timeout, interval: 100 });

const exact = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

/** Message bubbles whose text is exactly `text`. */
export const bubbles = (scope: Page | Locator, text: string) =>
  scope.locator(".sc-message__text").filter({ hasText: exact(text) });

export const signIn = async (page: Page, webUrl: string, name: string, role: string) => {
  await page.goto(`${webUrl}/login`);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("radio", { name: new RegExp(`^${role}`, "i") }).check();
  await page.getByRole("button", { name: "Sign in" }).click();
};

/** Talks to the gateway's REST API directly, as a storefront backend or a script would. */
export const restAs = async (gatewayUrl: string, name: string, role: string) => {
  const signed = (await (
    await fetch(`${gatewayUrl}/api/auth/dev-token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name, role }),
    })
  ).json()) as { token: string; user: { id: string } };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${gatewayUrl}/api${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${signed.token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return { token: signed.token, userId: signed.user.id, call };
};

export type BrowserWorld = {
  stack: Stack;
  gateway: Awaited<ReturnType<typeof restartableGateway>>;
  web: { url: string; close: () => Promise<void> };
  browser: Browser;
  /** A page in a browser context of its own: a person of their own, with their own storage. */
  page: (options?: BrowserContextOptions) => Promise<Page>;
  stop: () => Promise<void>;
};

/**
 * The whole product for a browser test: the services (manual routing unless `env` says
 * otherwise), a restartable gateway, the built web app in front of it, and Chromium. Whatever
 * started is stopped again if a later part fails to start.
 */
export const startBrowserWorld = async (
  env: Record<string, string> = {},
): Promise<BrowserWorld> => {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  try {
    const stack = await startStack({ gateways: 0, env: { ROUTING_POLICY: "manual", ...env } });
    stops.push(() => stack.stop());
    const gateway = await restartableGateway(stack.env);
    stops.push(() => gateway.stop());
    const web = await serveWebApp(gateway.url);
    stops.push(() => web.close());
    const browser = await launchChromium();
    stops.push(() => browser.close());
    const page = async (options: BrowserContextOptions = {}) =>
      (await browser.newContext({ viewport: { width: 1360, height: 860 }, ...options })).newPage();
    return { stack, gateway, web, browser, page, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
