import type { StepSummary } from "../load/load-run.js";
import type { AppendLevel } from "../store/append-rate.js";
import type { ServiceStep } from "../system/service-metrics.js";
import type { BenchResults, LoadReport } from "./results.js";
import { kb } from "./results.js";

const table = (header: string[], rows: Array<Array<string | number>>): string =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const mark = (met: boolean | null) => (met === null ? "–" : met ? "✅ met" : "❌ missed");

const verdict = (s: StepSummary) =>
  s.verdict.ok ? "held" : `**failed**: ${s.verdict.reasons.join("; ")}`;

const topCpu = (s: StepSummary, n = 4) =>
  s.cpu
    ? Object.entries(s.cpu.perGroup)
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([name, pct]) => `${name} ${pct}%`)
        .join(", ")
    : "";

const loadTable = (load: LoadReport) =>
  table(
    [
      "offered msg/s",
      "delivered msg/s",
      "c→a p50 / p99 / max ms",
      "a→c p50 / p99 / max ms",
      "ack p50 / p99 ms",
      "lost",
      "dup",
      "driver loop",
      "busiest processes (% of a core)",
      "verdict",
    ],
    load.steps.map((s) => [
      s.offeredRate,
      s.deliveredRate,
      `${s.latency.toAgent.p50} / ${s.latency.toAgent.p99} / ${s.latency.toAgent.max}`,
      `${s.latency.toCustomer.p50} / ${s.latency.toCustomer.p99} / ${s.latency.toCustomer.max}`,
      `${s.ack.p50} / ${s.ack.p99}`,
      s.lost,
      s.duplicates,
      `${Math.round(s.driverEventLoopMax * 100)}%`,
      topCpu(s),
      verdict(s),
    ]),
  );

const ratioTable = (raw: LoadReport, system: LoadReport) => {
  const rows = system.steps.flatMap((s) => {
    const r = raw.steps.find((x) => x.offeredRate === s.offeredRate);
    if (!r) return [];
    const x = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : "–");
    return [
      [
        s.offeredRate,
        `${s.latency.all.p50} / ${r.latency.all.p50} (${x(s.latency.all.p50, r.latency.all.p50)})`,
        `${s.latency.all.p99} / ${r.latency.all.p99} (${x(s.latency.all.p99, r.latency.all.p99)})`,
      ],
    ];
  });
  return table(["offered msg/s", "p50 system / raw ms", "p99 system / raw ms"], rows);
};

const hopsSection = (r: BenchResults) => {
  if (!r.hops || r.hops.length === 0) return "";
  const cell = (h: { p50: number; p99: number }) => `${h.p50} / ${h.p99}`;
  return [
    "## Where a message's time goes (sampled, p50 / p99 ms)",
    "",
    "Timestamps: the driver's send and receipt, the chat service's `occurredAt` (stamped when its",
    "handler starts), and JetStream's own storage time of the relayed event. Wall clocks of one",
    "machine; `occurredAt` has millisecond resolution.",
    "",
    table(
      [
        "offered msg/s",
        "samples",
        "send → chat service",
        "chat service → ack",
        "chat service → JetStream",
        "JetStream → other side",
        "end to end",
      ],
      r.hops.map((h) => [
        h.offeredRate,
        h.samples,
        cell(h.sendToChatService),
        cell(h.chatServiceToAck),
        cell(h.chatServiceToStream),
        cell(h.streamToReceived),
        cell(h.endToEnd),
      ]),
    ),
    "",
    serviceMeans(r),
  ].join("\n");
};

const serviceMeans = (r: BenchResults) => {
  const steps = r.load.system?.steps.filter((s) => s.service) ?? [];
  if (steps.length === 0) return "";
  const service = (s: StepSummary) => s.service as ServiceStep;
  const mean = (s: StepSummary, key: keyof ServiceStep["hops"]) =>
    service(s).hops[key]?.meanMs ?? "–";
  const count = (s: StepSummary, key: keyof ServiceStep["counters"]) => service(s).counters[key];
  return [
    "The services' own metrics over the same steps (histogram means in ms, counter increases):",
    "",
    table(
      [
        "offered msg/s",
        "gateway → chat service postMessage request",
        "chat service append transaction",
        "notification push lag (event time → pushed)",
        "notification events pushed / retried / held",
        "notification backlog at step end",
        "append conflicts",
        "getRoomViews query p50 / p99 (probe)",
      ],
      steps.map((s) => [
        s.offeredRate,
        mean(s, "gatewayPostMessageRequest"),
        mean(s, "chatAppendTransaction"),
        mean(s, "notificationPushLag"),
        `${count(s, "notificationPushed")} / ${count(s, "notificationRetried")} / ${count(s, "notificationHeld")}`,
        service(s).notificationBacklogAtEnd,
        count(s, "chatAppendConflicts"),
        service(s).roomViewsQuery
          ? `${service(s).roomViewsQuery.p50} / ${service(s).roomViewsQuery.p99}`
          : "–",
      ]),
    ),
  ].join("\n");
};

const cpuSection = (load: LoadReport | null) => {
  const steps = load?.steps.filter((s) => s.cpu) ?? [];
  if (steps.length === 0) return "";
  const groups = Object.keys(steps[0]!.cpu!.perGroup);
  return [
    "### CPU per process during each step (% of one core; the machine has 2)",
    "",
    table(
      ["offered msg/s", ...groups, "everything else", "machine busy"],
      steps.map((s) => [
        s.offeredRate,
        ...groups.map((g) => s.cpu!.perGroup[g] ?? 0),
        s.cpu!.elsewherePercent,
        `${s.cpu!.machineBusyPercent}%`,
      ]),
    ),
  ].join("\n");
};

/**
 * CPU time per message, process by process, at the highest rate the product held, beside the
 * raw relay at the same rate: what one message costs the machine, and where.
 */
const cpuPerMessage = (raw: LoadReport | null, system: LoadReport | null) => {
  const step = system?.steps.find((s) => s.offeredRate === system.highestHeldRate);
  if (!step?.cpu) return "";
  const rawStep = raw?.steps.find((s) => s.offeredRate === step.offeredRate);
  const ms = (pct: number | undefined, rate: number) => (((pct ?? 0) / 100) * 1000) / rate;
  const rows = Object.entries(step.cpu.perGroup)
    .filter(([name]) => name !== "load drivers")
    .sort((a, b) => b[1] - a[1])
    .map(([name, pct]) => [name, ms(pct, step.offeredRate).toFixed(3)]);
  const total = Object.entries(step.cpu.perGroup)
    .filter(([name]) => name !== "load drivers")
    .reduce((a, [, pct]) => a + ms(pct, step.offeredRate), 0);
  const rawTotal = rawStep?.cpu ? ms(rawStep.cpu.perGroup["raw relay"], step.offeredRate) : null;
  return [
    `### CPU time per message at ${step.offeredRate} msg/s (the highest rate the product held)`,
    "",
    table(
      ["process", "CPU ms per message"],
      [
        ...rows,
        ["**all of the product**", `**${total.toFixed(3)}**`],
        ["raw socket.io relay, same rate", rawTotal === null ? "–" : rawTotal.toFixed(3)],
      ],
    ),
    "",
    `At this cost two cores can carry at most about ${Math.floor(2000 / total)} msg/s, before the load drivers take their share.`,
  ].join("\n");
};

const pushes = (load: LoadReport | null) => {
  const s = load?.steps[0];
  if (!s) return "";
  const list = Object.entries(s.pushesPerMessage)
    .map(([event, n]) => `${event} ${n}`)
    .join(", ");
  return `Pushes received per message sent (all sockets): ${list}.`;
};

/** CPU time per committed message, from % of a core over the level's duration. */
const cpuPerCommit = (l: AppendLevel): string => {
  if (!l.cpu || l.perSecond === 0) return "–";
  const ms = (pct: number) => ((pct / 100) * 1000) / l.perSecond;
  const g = l.cpu.perGroup;
  const services = ["chat-service", "notification-service", "assignment-service", "gateway-service"]
    .map((name) => g[name] ?? 0)
    .reduce((a, b) => a + b, 0);
  return `${ms(g["chat-service"] ?? 0).toFixed(2)} / ${ms(g["postgres"] ?? 0).toFixed(2)} / ${ms(services).toFixed(2)}`;
};

const appendSection = (r: BenchResults) => {
  if (!r.appendRate) return "";
  const floor = r.commitFloor;
  return [
    "## Event-store append rate (durable commits)",
    "",
    `\`postMessage\` commands ${r.appendRate.path === "nats" ? "sent straight to the chat service over NATS" : "posted through the gateway's REST API"}, closed loop, one room per writer.`,
    floor
      ? `Postgres: ${Object.entries(floor.settings)
          .map(([k, v]) => `\`${k}=${v}\``)
          .join(
            ", ",
          )}; a bare single-row INSERT commits ${floor.singleConnectionPerSecond}/s on one connection, ${floor.tenConnectionsPerSecond}/s on ten.`
      : "",
    "",
    table(
      [
        "writers in flight",
        "committed msg/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "errors",
        "CPU ms per commit: chat-service / Postgres / all services",
      ],
      r.appendRate.levels.map((l) => [
        l.concurrency,
        l.perSecond,
        l.latency.p50,
        l.latency.p99,
        l.latency.max,
        l.errors,
        cpuPerCommit(l),
      ]),
    ),
  ].join("\n");
};

const primitivesSection = (r: BenchResults) => {
  if (!r.primitives) return "";
  return [
    "### One round trip, one at a time (the unit cost of every hop on this machine)",
    "",
    table(
      ["round trip", "p50 ms", "p99 ms", "per second, in sequence"],
      Object.entries(r.primitives).map(([name, l]) => [
        name,
        l.p50,
        l.p99,
        l.mean > 0 ? Math.round(1000 / l.mean) : "–",
      ]),
    ),
  ].join("\n");
};

const catchUpSection = (r: BenchResults) => {
  const c = r.catchUp;
  if (!c) return "";
  return [
    "## Catch-up",
    "",
    `A customer who missed ${c.missed} messages fetches them like the web client: \`GET /api/chat/room/:id/messages?after=<seq>&limit=${c.pageSize}\` until \`X-Has-More: false\` (${c.pages} requests, ${kb(c.bytes)} of JSON), ${c.runs} runs.`,
    "",
    table(["p50 ms", "p99 ms", "max ms"], [[c.ms.p50, c.ms.p99, c.ms.max]]),
  ].join("\n");
};

const idleSection = (r: BenchResults) => {
  const i = r.idle;
  if (!i) return "";
  const row = (x: typeof i.raw) => [
    x.label,
    `${x.connected}${x.cappedByOpenFiles ? ` (of ${x.requested}; open-file limit ${x.openFileLimit})` : ""}`,
    x.serverCounted,
    x.failed,
    `${x.connectSeconds} s`,
    `${Math.round(x.rssBefore / 1048576)} → ${Math.round(x.rssAfter / 1048576)} MB`,
    kb(x.rssPerConnection),
    kb(x.heapPerConnection),
  ];
  return [
    "## Idle connections",
    "",
    table(
      [
        "server",
        "sockets held",
        "server counted",
        "failed",
        "connect time",
        "RSS",
        "RSS per socket",
        "heap per socket",
      ],
      [row(i.raw), row(i.gateway)],
    ),
    "",
    `Gateway / raw: RSS ${i.rssRatio ?? "–"}×, heap ${i.heapRatio ?? "–"}×.`,
  ].join("\n");
};

const profileSection = (r: BenchResults) => {
  if (!r.profile || r.profile.length === 0) return "";
  const parts = [
    "## CPU profiles (V8 sampling profiler over each measured step; self time in % of busy time)",
    "",
    "The `.cpuprofile` files are in `bench/results/tmp/profiles/` (open them in Chrome DevTools).",
    "",
  ];
  for (const p of r.profile) {
    parts.push(
      `### At ${p.offeredRate} msg/s: p50 ${p.step.latency.all.p50} ms, p99 ${p.step.latency.all.p99} ms, ${p.step.deliveredRate} msg/s delivered`,
      "",
    );
    for (const s of p.services) {
      parts.push(
        `**${s.service}** — busy ${s.busyPercent}% of ${s.seconds} s.`,
        `By origin: ${s.byOrigin.map((o) => `${o.name} ${o.percent}%`).join(", ")}.`,
        `Top functions: ${s.topFunctions
          .slice(0, 8)
          .map((f) => `\`${f.name}\` ${f.percent}%`)
          .join(", ")}.`,
        "",
      );
    }
  }
  return parts.join("\n");
};

export const renderMarkdown = (r: BenchResults): string => {
  const { raw, system } = r.load;
  return [
    `# Benchmark results${r.quick ? " (quick mode: a smoke test, not a measurement)" : ""}`,
    "",
    `Run ${r.startedAt} → ${r.finishedAt} against ${r.target}. Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node}, load average at start ${r.machine.loadAverageAtStart.join(" / ")}. Everything (Postgres, NATS, Redis, services, load drivers) on this one box.`,
    "",
    "## Goals",
    "",
    table(
      ["goal", "target", "measured", ""],
      r.goals.map((g) => [g.goal, g.target, g.measured, mark(g.met)]),
    ),
    "",
    "## Load: the product",
    "",
    system ? loadTable(system) : "not run",
    "",
    system
      ? `${system.rooms} conversations, ${system.sockets} sockets, ${system.drivers} driver processes. Highest rate held (p99 ≤ 100 ms, delivery keeping up, nothing lost): **${system.highestHeldRate} msg/s**.`
      : "",
    pushes(system),
    "",
    cpuSection(system),
    "",
    cpuPerMessage(raw, system),
    "",
    "## Load: raw socket.io relay (baseline, same drivers, same load)",
    "",
    raw ? loadTable(raw) : "not run",
    "",
    raw
      ? `Highest rate held: **${raw.highestHeldRate} msg/s**${raw.steps.every((s) => s.verdict.ok) ? " (every offered step held; the relay's ceiling is higher)" : ""}.`
      : "",
    "",
    raw && system
      ? [
          `**System / raw, highest rate held: ${r.load.heldRateRatio ?? "–"}×.**`,
          "",
          ratioTable(raw, system),
        ].join("\n")
      : "",
    "",
    hopsSection(r),
    "",
    appendSection(r),
    "",
    primitivesSection(r),
    "",
    catchUpSection(r),
    "",
    idleSection(r),
    "",
    profileSection(r),
    r.notes.length > 0 ? ["## Notes", "", ...r.notes.map((n) => `- ${n}`)].join("\n") : "",
    "",
  ]
    .join("\n")
    .replace(/\n{3,}/g, "\n\n");
};
