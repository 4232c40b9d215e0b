import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { inRepo, nodeServices, run, scratchDir } from "../src/repo.js";

/**
 * The Prometheus configuration and alert rules checked by promtool, every dashboard query parsed
 * by promtool as PromQL, and every metric a query names matched against what the services
 * register.
 */
type Panel = { title: string; type: string; targets?: Array<{ expr: string }> };
type Dashboard = { uid: string; panels: Panel[] };

/** prom-client's defaults (collectDefaultMetrics) and Prometheus' own series. */
const BUILT_IN = /^(up|process_\w+|nodejs_\w+)$/;
const HISTOGRAM_SUFFIX = /_(bucket|sum|count)$/;

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let dashboard: Dashboard;

beforeAll(async () => {
  scratch = await scratchDir("monitoring");
  dashboard = JSON.parse(
    await readFile(inRepo("deploy/grafana/dashboards/support-chat.json"), "utf8"),
  ) as Dashboard;
});
afterAll(() => scratch?.remove());

const queries = () =>
  dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** Grafana's variables replaced by what Prometheus would receive. */
const asPromQL = (expr: string) => expr.replaceAll("$__rate_interval", "5m");

/** Writes the expressions as recording rules, so `promtool check rules` parses each one. */
const checkExpressions = async (exprs: string[]) => {
  const file = join(scratch.path, `queries-${Math.random().toString(36).slice(2)}.yml`);
  await writeFile(
    file,
    stringify({
      groups: [
        {
          name: "dashboard",
          rules: exprs.map((expr, i) => ({ record: `q${i}`, expr: asPromQL(expr) })),
        },
      ],
    }),
  );
  return run("promtool", ["check", "rules", file]);
};

/** Every metric name a service registers with prom-client, read from its sources. */
const registeredMetrics = async (): Promise<Set<string>> => {
  const names = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith(".ts"))
        for (const m of (await readFile(path, "utf8")).matchAll(
          /\bname:\s*"([a-z_:][a-z0-9_:]*)"/g,
        ))
          if (m[1]) names.add(m[1]);
    }
  };
  for (const { name } of nodeServices) await walk(inRepo(name, "src")).catch(() => undefined);
  return names;
};

const metricNamesIn = (expr: string): string[] =>
  [
    ...asPromQL(expr)
      .replace(/"[^"]*"/g, '""')
      .matchAll(/\b([a-z_:][a-z0-9_:]*)\b(?!\s*\()/g),
  ]
    .map((m) => m[1] ?? "")
    .filter((name) => name.includes("_") && !/^(by|without|on|ignoring|le|sum|rate)$/.test(name))
    .map((name) => name.replace(HISTOGRAM_SUFFIX, ""));

describe("Prometheus", () => {
  it("prometheus.yml and its alert rules pass promtool", async () => {
    const result = await run("promtool", [
      "check",
      "config",
      inRepo("deploy/prometheus/prometheus.yml"),
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("scrapes every service where docker compose runs it", async () => {
    const config = parse(await readFile(inRepo("deploy/prometheus/prometheus.yml"), "utf8")) as {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = Object.fromEntries(
      config.scrape_configs.map((c) => [c.job_name, c.static_configs.flatMap((s) => s.targets)]),
    );
    expect(targets).toEqual({
      "gateway-service": ["gateway-1:3001", "gateway-2:3001"],
      "chat-service": ["chat-service:3002"],
      "notification-service": ["notification-service:3003"],
      "assignment-service": ["assignment-service:3004"],
    });
  });

  it("a deliberately broken copy of the config or the rules is refused", async () => {
    const config = await readFile(inRepo("deploy/prometheus/prometheus.yml"), "utf8");
    const brokenConfig = join(scratch.path, "prometheus.yml");
    await writeFile(
      brokenConfig,
      config.replace("scrape_interval: 15s", "scrape_interval: fifteen"),
    );
    await writeFile(join(scratch.path, "alerts.yml"), "groups: []\n");
    expect((await run("promtool", ["check", "config", brokenConfig])).code).not.toBe(0);

    const rules = await readFile(inRepo("deploy/prometheus/alerts.yml"), "utf8");
    const brokenRules = join(scratch.path, "broken-alerts.yml");
    await writeFile(brokenRules, rules.replace("> 100", "> > 100"));
    expect((await run("promtool", ["check", "rules", brokenRules])).code).not.toBe(0);
  });
});

describe("Grafana dashboard", () => {
  it("is provisioned from the folder compose mounts, with Prometheus as its data source", async () => {
    const provider = parse(
      await readFile(inRepo("deploy/grafana/provisioning/dashboards/support-chat.yml"), "utf8"),
    ) as { providers: Array<{ options: { path: string } }> };
    expect(provider.providers[0]?.options.path).toBe("/var/lib/grafana/dashboards");
    const datasources = parse(
      await readFile(inRepo("deploy/grafana/provisioning/datasources/prometheus.yml"), "utf8"),
    ) as { datasources: Array<{ type: string; url: string }> };
    expect(datasources.datasources[0]).toMatchObject({
      type: "prometheus",
      url: "http://prometheus:9090",
    });
    expect(dashboard.uid).toBe("support-chat");
  });

  it("covers what operators watch", () => {
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join("\n");
    for (const topic of [
      "connected sockets by role",
      "messages per second",
      "command latency",
      "event append latency",
      "publish lag",
      "jetstream consumer lag",
      "customers waiting",
      "queue wait",
      "first response time",
      "agents online",
      "agent load",
    ])
      expect(titles, topic).toContain(topic);
  });

  it("every query is valid PromQL", async () => {
    const result = await checkExpressions(queries().map((q) => q.expr));
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it("a deliberately broken query is refused", async () => {
    const result = await checkExpressions(["sum(rate(chat_events_appended_total[5m])"]);
    expect(result.code).not.toBe(0);
  });

  it("every metric it and the alerts show is registered by a service", async () => {
    const registered = await registeredMetrics();
    const alerts = await readFile(inRepo("deploy/prometheus/alerts.yml"), "utf8");
    const alertExprs = [...alerts.matchAll(/expr: (.+)/g)].map((m) => m[1] ?? "");
    const unknown = [...queries().map((q) => q.expr), ...alertExprs]
      .flatMap(metricNamesIn)
      .filter((name) => !BUILT_IN.test(name) && !registered.has(name));
    expect([...new Set(unknown)]).toEqual([]);
    // The metrics the services do register today are really in use on the dashboard.
    for (const name of [
      "gateway_connected_sockets",
      "chat_append_duration_seconds",
      "chat_command_duration_seconds",
      "chat_first_response_seconds",
      "chat_relay_publish_lag_events",
      "notification_consumer_pending",
      "assignment_consumer_pending",
    ])
      expect(registered.has(name), name).toBe(true);
  });
});
