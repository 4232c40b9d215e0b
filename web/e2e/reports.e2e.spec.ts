import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  eventually,
  restAs,
  screenshot,
  signIn,
  startBrowserWorld,
  type BrowserWorld,
} from "./harness.js";

/**
 * Two conversations, answered, closed and rated by their customers; then a manager opens the
 * reports from the console and sees them counted, charted and downloadable, while an agent is
 * kept out.
 */
describe("reports for managers in a real browser", () => {
  let world: BrowserWorld;
  let gateway: BrowserWorld["gateway"];
  let web: BrowserWorld["web"];
  let manager: Page;
  let agentPage: Page;

  beforeAll(async () => {
    world = await startBrowserWorld();
    ({ gateway, web } = world);
    const page = () =>
      world.page({ viewport: { width: 1360, height: 1100 }, acceptDownloads: true });
    [manager, agentPage] = await Promise.all([page(), page()]);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it("two customers are helped by Alex and rate the chats 5 and 4", async () => {
    const alex = await restAs(gateway.url, "Alex", "agent");
    for (const [name, score] of [
      ["Carla", 5],
      ["Dan", 4],
    ] as const) {
      const customer = await restAs(gateway.url, name, "customer");
      const room = await customer.call<{ id: string }>("GET", "/chat/room");
      await customer.call("POST", `/chat/room/${room.id}/messages`, {
        message: "Where is my parcel?",
        clientMessageId: `${name}-1`,
      });
      await alex.call("POST", `/chat/support/room/${room.id}/assign`);
      await alex.call("POST", `/chat/room/${room.id}/messages`, {
        message: "It left the warehouse today.",
        clientMessageId: `${name}-answer`,
      });
      await customer.call("POST", `/chat/room/${room.id}/close`);
      await customer.call("POST", `/chat/room/${room.id}/rating`, { score });
    }
  });

  it("an agent sees no Reports link and is turned away from the page", async () => {
    await signIn(agentPage, web.url, "Alex", "agent");
    await agentPage.waitForURL(`${web.url}/admin/support`);
    await agentPage.getByRole("button", { name: "Sign out" }).waitFor();
    expect(await agentPage.getByRole("link", { name: "Reports" }).count()).toBe(0);
    await agentPage.goto(`${web.url}/admin/support/reports`);
    await agentPage.waitForURL(`${web.url}/not-allowed`);
  });

  it("a manager opens the reports from the console and sees the chats, the rating and the charts", async () => {
    await signIn(manager, web.url, "Mia", "manager");
    await manager.waitForURL(`${web.url}/admin/support`);
    await manager.getByRole("link", { name: "Reports" }).click();
    await manager.waitForURL(`${web.url}/admin/support/reports`);

    const tile = (name: string) => manager.getByRole("article", { name });
    await eventually(async () =>
      expect(await tile("Chats").locator(".tile__value").innerText()).toBe("2"),
    );
    expect(await tile("Chats").innerText()).toContain("2 assigned · 2 answered · 2 closed");
    expect(await tile("CSAT").locator(".tile__value").innerText()).toBe("100 %");
    expect(await tile("CSAT").innerText()).toContain("average 4.5 / 5 from 2 ratings");
    expect(await tile("First response").locator(".tile__value").innerText()).toMatch(/^\d+ s$/);
    const alexRow = manager.getByRole("row", { name: /Alex/ });
    expect(await alexRow.innerText()).toMatch(/Alex\s+2\s+2\s+2\s+4\.5 \(2\)\s+100 %/);

    // The four charts are drawn (the charting library arrives with them).
    await eventually(async () => expect(await manager.locator(".chart canvas").count()).toBe(4));
    expect(await manager.getByRole("button", { name: "7 days" }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    await screenshot(manager, "reports");
  });

  it("the period can be changed, and a backwards custom period is explained", async () => {
    await manager.getByRole("button", { name: "Today" }).click();
    await eventually(async () =>
      expect(await manager.locator(".reports__period").innerText()).not.toContain("–"),
    );
    expect(
      await manager.getByRole("article", { name: "Chats" }).locator(".tile__value").innerText(),
    ).toBe("2");

    await manager.getByRole("button", { name: "Custom" }).click();
    await manager.getByLabel("From").fill("2025-03-05");
    await manager.getByLabel("To").fill("2025-03-01");
    await manager.getByRole("button", { name: "Show" }).click();
    await manager
      .getByRole("alert")
      .filter({ hasText: "The last day comes before the first." })
      .waitFor();
    await manager.getByLabel("To").fill("2025-03-07");
    await manager.getByRole("button", { name: "Show" }).click();
    await eventually(async () =>
      expect(
        await manager.getByRole("article", { name: "Chats" }).locator(".tile__value").innerText(),
      ).toBe("0"),
    );
    expect(await manager.getByRole("alert").count()).toBe(0);
    await screenshot(manager, "reports-custom-empty");
  });

  it("downloads the report as CSV", async () => {
    await manager.getByRole("button", { name: "30 days" }).click();
    await eventually(async () =>
      expect(
        await manager.getByRole("article", { name: "Chats" }).locator(".tile__value").innerText(),
      ).toBe("2"),
    );
    const [download] = await Promise.all([
      manager.waitForEvent("download"),
      manager.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^support-report-\d{4}-\d{2}-\d{2}-to-.*\.csv$/);
    const csv = readFileSync(await download.path(), "utf8");
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("section,key,agent_id,agent_name,metric,value");
    expect(lines).toContain("summary,,,,chats,2");
    expect(lines).toContain("summary,,,,csat_percent,100");
    expect(lines).toContain("summary,,,,rating_average,4.5");
    expect(lines).toContain("rating,4,,,count,1");
  });
});
