import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { eventually, screenshot, startBrowserWorld, type BrowserWorld } from "./harness.js";

/**
 * A customer and an agent whose browsers speak German: the widget and the console start in
 * German, switch to English and back at once, and a reload keeps the choice.
 */
describe("languages in real browsers", () => {
  let world: BrowserWorld;
  let web: BrowserWorld["web"];
  let customer: Page;
  let agent: Page;

  beforeAll(async () => {
    world = await startBrowserWorld();
    ({ web } = world);
    const german = { locale: "de-DE", timezoneId: "Europe/Berlin" };
    customer = await world.page({ ...german, viewport: { width: 1280, height: 800 } });
    agent = await world.page({ ...german, viewport: { width: 1366, height: 860 } });
  });

  afterAll(async () => {
    await world?.stop();
  });

  /** The German sign-in form, as a German-speaking visitor sees it. */
  const signInGerman = async (page: Page, name: string, role: RegExp) => {
    await page.goto(`${web.url}/login`);
    await page.getByRole("heading", { name: "Bei FullMag anmelden" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("radio", { name: role }).check();
    await page.getByRole("button", { name: "Anmelden" }).click();
  };

  const widgetLanguage = () => customer.locator(".sc-window").getByLabel("Sprache");

  it("the widget starts in the browser's German", async () => {
    await signInGerman(customer, "Klara", /^Kunde/);
    await customer.getByRole("button", { name: "In den Warenkorb" }).waitFor();
    await customer.getByRole("button", { name: "Chat öffnen" }).click();
    const window = customer.getByRole("dialog", { name: "Support-Chat" });
    await window.waitFor();
    expect(await window.innerText()).toContain("Wir antworten meist innerhalb weniger Minuten");
    expect(await customer.locator(".sc-widget").getAttribute("lang")).toBe("de");

    const box = customer.getByRole("textbox", { name: "Nachricht" });
    await box.fill("Hallo, wo bleibt meine Lieferung an die Donaudampfschifffahrtsgesellschaft?");
    await box.press("Enter");
    await eventually(async () =>
      expect(await window.innerText()).toMatch(/Warten auf den Support|nicht erreichbar/),
    );
    await screenshot(customer, "i18n-widget-de");
  });

  it("switches the widget to English and back at once, and a reload keeps the choice", async () => {
    await widgetLanguage().selectOption("en");
    await customer.getByRole("dialog", { name: "Support chat" }).waitFor();
    expect(await customer.getByRole("textbox", { name: "Message" }).count()).toBe(1);
    expect(await customer.getByRole("button", { name: "Add to cart" }).count()).toBe(1);

    // The saved choice beats the browser's German after a reload.
    await customer.reload();
    await customer.getByRole("dialog", { name: "Support chat" }).waitFor();
    expect(await customer.locator("html").getAttribute("lang")).toBe("en");

    await customer.locator(".sc-window").getByLabel("Language").selectOption("de");
    await customer.getByRole("dialog", { name: "Support-Chat" }).waitFor();
    await customer.reload();
    await customer.getByRole("dialog", { name: "Support-Chat" }).waitFor();
    expect(await widgetLanguage().inputValue()).toBe("de");
  });

  it("the console starts in German, switches to English and back, and keeps the choice", async () => {
    await signInGerman(agent, "Alexandra", /^Agent/);
    await agent.waitForURL(`${web.url}/admin/support`);
    await agent.getByText("Neue Chat-Anfragen").waitFor();
    expect(await agent.title()).toContain("Support-Konsole");
    await agent.getByLabel("Ihr Status").selectOption("available");
    await agent.getByRole("button", { name: /^Warteschlange/ }).click();
    await agent.getByRole("button", { name: /Klara/ }).first().click();
    await agent.getByRole("region", { name: "Unterhaltung", exact: true }).waitFor();
    await agent.locator(".sc-message__text").filter({ hasText: "Donaudampf" }).waitFor();
    await eventually(async () =>
      expect(await agent.getByRole("button", { name: "Chat schließen" }).count()).toBe(1),
    );
    await screenshot(agent, "i18n-console-de");

    const language = agent.locator(".console__bar").getByLabel("Sprache");
    await language.selectOption("en");
    await agent.getByText("New chat requests").waitFor();
    expect(await agent.locator("html").getAttribute("lang")).toBe("en");
    expect(await agent.title()).toContain("Support console");

    await agent.reload();
    await agent.getByText("New chat requests").waitFor();
    await agent.locator(".console__bar").getByLabel("Language").selectOption("de");
    await agent.getByText("Neue Chat-Anfragen").waitFor();
    expect(await agent.locator("html").getAttribute("lang")).toBe("de");
  });

  it("the customer sees the agent join in German", async () => {
    await eventually(async () =>
      expect(await customer.locator(".sc-window").innerText()).toContain("Verbunden mit Alexandra"),
    );
    await screenshot(customer, "i18n-widget-de-connected");
  });
});
