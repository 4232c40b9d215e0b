/** The results as one SVG picture (four panels), drawn by hand: no chart library needed. */
import type { BenchResults, LoadReport } from "./results.js";

type Box = { x: number; y: number; w: number; h: number };
type Scale = { at: (v: number) => number; ticks: number[] };

const W = 1400;
const H = 1010;
const COLORS = { p50: "#1f6fd1", p99: "#d1401f", max: "#888", system: "#1f6fd1", raw: "#2a9d4b" };

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const text = (x: number, y: number, s: string, attrs = "") =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;

const logScale = (lo: number, hi: number, from: number, to: number): Scale => {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  const ticks: number[] = [];
  for (let e = Math.floor(a); e <= Math.ceil(b); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  return {
    at: (v) => from + ((Math.log10(Math.max(v, lo)) - a) / (b - a)) * (to - from),
    ticks,
  };
};

const linearScale = (hi: number, from: number, to: number, count = 5): Scale => {
  const step = niceStep(hi / count);
  const ticks = Array.from({ length: Math.floor(hi / step) + 1 }, (_, i) => i * step);
  return { at: (v) => from + (v / hi) * (to - from), ticks };
};

const niceStep = (raw: number) => {
  const e = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * e).find((s) => s >= raw) ?? raw;
};

const label = (v: number) => (v >= 1000 ? `${v / 1000}k` : `${v}`);

const frame = (box: Box, title: string, xs: Scale, ys: Scale, xTitle: string, yTitle: string) => {
  const parts = [
    `<rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" fill="#fff" stroke="#ccc"/>`,
    text(box.x, box.y - 12, title, 'font-size="17" font-weight="600"'),
    text(
      box.x + box.w / 2,
      box.y + box.h + 38,
      xTitle,
      'font-size="13" text-anchor="middle" fill="#444"',
    ),
    text(
      box.x - 52,
      box.y + box.h / 2,
      yTitle,
      `font-size="13" text-anchor="middle" fill="#444" transform="rotate(-90 ${box.x - 52} ${box.y + box.h / 2})"`,
    ),
  ];
  for (const t of xs.ticks) {
    const x = xs.at(t);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${box.y}" y2="${box.y + box.h}" stroke="#eee"/>`,
      text(x, box.y + box.h + 18, label(t), 'font-size="12" text-anchor="middle" fill="#555"'),
    );
  }
  for (const t of ys.ticks) {
    const y = ys.at(t);
    parts.push(
      `<line x1="${box.x}" x2="${box.x + box.w}" y1="${y}" y2="${y}" stroke="#eee"/>`,
      text(box.x - 8, y + 4, label(t), 'font-size="12" text-anchor="end" fill="#555"'),
    );
  }
  return parts.join("\n");
};

const line = (points: Array<[number, number]>, color: string, dashed: boolean) => {
  if (points.length === 0) return "";
  const d = points
    .map(([x, y], i) => `${i === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`)
    .join(" ");
  const dots = points
    .map(([x, y]) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="${color}"/>`)
    .join("");
  return `<path d="${d}" fill="none" stroke="${color}" stroke-width="2.5" ${dashed ? 'stroke-dasharray="7 5"' : ""}/>${dots}`;
};

/** One row under a panel, so it never covers the data. */
const legend = (box: Box, items: Array<{ label: string; color: string; dashed: boolean }>) => {
  const y = box.y + box.h + 62;
  let x = box.x;
  return items
    .map((item) => {
      const out =
        `<line x1="${x}" x2="${x + 28}" y1="${y}" y2="${y}" stroke="${item.color}" stroke-width="${item.dashed ? 2.5 : 6}" ${item.dashed ? 'stroke-dasharray="7 5"' : ""}/>` +
        text(x + 34, y + 4, item.label, 'font-size="12.5" fill="#333"');
      x += 44 + item.label.length * 7;
      return out;
    })
    .join("\n");
};

const guide = (box: Box, y: number, caption: string) =>
  `<line x1="${box.x}" x2="${box.x + box.w}" y1="${y}" y2="${y}" stroke="#999" stroke-dasharray="2 4"/>` +
  text(box.x + box.w - 6, y - 5, caption, 'font-size="11.5" text-anchor="end" fill="#777"');

const rateRange = (loads: Array<LoadReport | null>, withDelivered: boolean) => {
  const rates = loads.flatMap(
    (l) =>
      l?.steps.flatMap((s) =>
        withDelivered ? [s.offeredRate, Math.max(1, s.deliveredRate)] : [s.offeredRate],
      ) ?? [],
  );
  return { lo: Math.min(...rates, 100) * 0.8, hi: Math.max(...rates, 1000) * 1.25 };
};

const latencyPanel = (r: BenchResults, box: Box) => {
  const { raw, system } = r.load;
  const { lo, hi } = rateRange([raw, system], false);
  const xs = logScale(lo, hi, box.x, box.x + box.w);
  const all = [raw, system].flatMap(
    (l) => l?.steps.flatMap((s) => [s.latency.all.p50, s.latency.all.p99]) ?? [],
  );
  const ys = logScale(0.1, Math.max(200, ...all) * 1.3, box.y + box.h, box.y);
  const series = (load: LoadReport | null, pick: "p50" | "p99") =>
    (load?.steps ?? []).map((s): [number, number] => [
      xs.at(s.offeredRate),
      ys.at(s.latency.all[pick]),
    ]);
  return [
    frame(
      box,
      "End-to-end latency (send → other side receives)",
      xs,
      ys,
      "offered load, messages/s (log)",
      "milliseconds (log)",
    ),
    guide(box, ys.at(100), "100 ms: limit of a held step"),
    guide(box, ys.at(25), "25 ms: p99 goal at 1,000/s"),
    guide(box, ys.at(8), "8 ms: p50 goal at 1,000/s"),
    line(series(raw, "p50"), COLORS.p50, true),
    line(series(raw, "p99"), COLORS.p99, true),
    line(series(system, "p50"), COLORS.p50, false),
    line(series(system, "p99"), COLORS.p99, false),
    legend(box, [
      { label: "product p50", color: COLORS.p50, dashed: false },
      { label: "product p99", color: COLORS.p99, dashed: false },
      { label: "raw socket.io p50", color: COLORS.p50, dashed: true },
      { label: "raw socket.io p99", color: COLORS.p99, dashed: true },
    ]),
  ].join("\n");
};

const throughputPanel = (r: BenchResults, box: Box) => {
  const { raw, system } = r.load;
  const { lo, hi } = rateRange([raw, system], true);
  const xs = logScale(lo, hi, box.x, box.x + box.w);
  const ys = logScale(lo, hi, box.y + box.h, box.y);
  const series = (load: LoadReport | null) =>
    (load?.steps ?? []).map((s): [number, number] => [
      xs.at(s.offeredRate),
      ys.at(Math.max(lo, s.deliveredRate)),
    ]);
  const held = (load: LoadReport | null, color: string, name: string, dy: number) =>
    load && load.highestHeldRate > 0
      ? `<line x1="${xs.at(load.highestHeldRate)}" x2="${xs.at(load.highestHeldRate)}" y1="${box.y}" y2="${box.y + box.h}" stroke="${color}" stroke-dasharray="3 3"/>` +
        text(
          xs.at(load.highestHeldRate) +
            (xs.at(load.highestHeldRate) > box.x + box.w - 140 ? -5 : 5),
          box.y + box.h - dy,
          `${name} holds ${load.highestHeldRate}/s`,
          `font-size="11.5" fill="${color}" text-anchor="${xs.at(load.highestHeldRate) > box.x + box.w - 140 ? "end" : "start"}"`,
        )
      : "";
  return [
    frame(
      box,
      "Delivered vs offered",
      xs,
      ys,
      "offered load, messages/s (log)",
      "delivered, messages/s (log)",
    ),
    `<path d="M${xs.at(lo)},${ys.at(lo)} L${xs.at(hi)},${ys.at(hi)}" stroke="#bbb" stroke-dasharray="2 4"/>`,
    line(series(raw), COLORS.raw, true),
    line(series(system), COLORS.system, false),
    held(system, COLORS.system, "product", 30),
    held(raw, COLORS.raw, "raw", 12),
    legend(box, [
      { label: "product", color: COLORS.system, dashed: false },
      { label: "raw socket.io", color: COLORS.raw, dashed: true },
    ]),
  ].join("\n");
};

const bars = (
  box: Box,
  title: string,
  yTitle: string,
  groups: Array<{ name: string; values: Array<{ label: string; value: number; color: string }> }>,
  note?: { value: number; caption: string },
) => {
  const top =
    Math.max(1, ...groups.flatMap((g) => g.values.map((v) => v.value)), note?.value ?? 0) * 1.2;
  const ys = linearScale(top, box.y + box.h, box.y);
  const slot = box.w / Math.max(1, groups.length);
  const parts = [frame(box, title, { at: () => 0, ticks: [] }, ys, "", yTitle)];
  groups.forEach((g, gi) => {
    const bw = Math.min(46, (slot * 0.8) / Math.max(1, g.values.length));
    const start = box.x + gi * slot + (slot - bw * g.values.length) / 2;
    g.values.forEach((v, vi) => {
      const x = start + vi * bw;
      const y = ys.at(v.value);
      parts.push(
        `<rect x="${x + 2}" y="${y}" width="${bw - 4}" height="${box.y + box.h - y}" fill="${v.color}"/>`,
        text(x + bw / 2, y - 5, v.label, 'font-size="11" text-anchor="middle" fill="#333"'),
      );
    });
    parts.push(
      text(
        box.x + gi * slot + slot / 2,
        box.y + box.h + 18,
        g.name,
        'font-size="12" text-anchor="middle" fill="#444"',
      ),
    );
  });
  if (note) parts.push(guide(box, ys.at(note.value), note.caption));
  return parts.join("\n");
};

const memoryPanel = (r: BenchResults, box: Box) => {
  if (!r.idle) return text(box.x, box.y + 20, "idle connections: not measured", 'font-size="14"');
  const { raw, gateway } = r.idle;
  const k = (b: number) => Math.round((b / 1024) * 10) / 10;
  return bars(
    box,
    `Memory per idle socket (${gateway.connected.toLocaleString("en")} sockets each)`,
    "KB per socket",
    [
      {
        name: "RSS",
        values: [
          {
            label: `raw ${k(raw.rssPerConnection)}`,
            value: k(raw.rssPerConnection),
            color: COLORS.raw,
          },
          {
            label: `gateway ${k(gateway.rssPerConnection)}`,
            value: k(gateway.rssPerConnection),
            color: COLORS.system,
          },
        ],
      },
      {
        name: "JS heap",
        values: [
          {
            label: `raw ${k(raw.heapPerConnection)}`,
            value: k(raw.heapPerConnection),
            color: COLORS.raw,
          },
          {
            label: `gateway ${k(gateway.heapPerConnection)}`,
            value: k(gateway.heapPerConnection),
            color: COLORS.system,
          },
        ],
      },
    ],
    { value: k(raw.rssPerConnection) * 1.5, caption: "goal: gateway RSS ≤ 1.5× raw" },
  );
};

const HOP_COLORS = ["#7aa6e0", "#e0a64a", "#9b6fd1", "#555555"];

const hopsPanel = (r: BenchResults, box: Box) => {
  const hops = (r.hops ?? []).filter((h) => h.samples > 0);
  if (hops.length === 0)
    return text(box.x, box.y + 20, "hop breakdown: not measured", 'font-size="14"');
  const parts = (h: (typeof hops)[number]) => [
    h.sendToChatService.p50,
    h.chatServiceToStream.p50,
    h.streamToReceived.p50,
    h.endToEnd.p50,
  ];
  const floor = 0.1;
  const top = Math.max(10, ...hops.flatMap(parts)) * 2;
  const ys = logScale(floor, top, box.y + box.h, box.y);
  const slot = box.w / hops.length;
  const out = [
    frame(
      box,
      "Where a message's time goes (p50 of each hop)",
      { at: () => 0, ticks: [] },
      ys,
      "offered load, messages/s",
      "milliseconds (log)",
    ),
  ];
  hops.forEach((h, i) => {
    const bw = Math.min(34, (slot * 0.8) / 4);
    const x0 = box.x + i * slot + (slot - bw * 4) / 2;
    parts(h).forEach((v, j) => {
      const x = x0 + j * bw;
      const y = ys.at(Math.max(floor, v));
      out.push(
        `<rect x="${x + 1}" y="${y}" width="${bw - 2}" height="${box.y + box.h - y}" fill="${HOP_COLORS[j]}"/>`,
        text(
          x + bw / 2,
          y - 4,
          v >= 100 ? `${Math.round(v)}` : `${v}`,
          'font-size="10" text-anchor="middle" fill="#333"',
        ),
      );
    });
    out.push(
      text(
        x0 + bw * 2,
        box.y + box.h + 18,
        label(h.offeredRate),
        'font-size="12" text-anchor="middle" fill="#444"',
      ),
    );
  });
  out.push(
    legend(box, [
      { label: "send → chat service", color: HOP_COLORS[0]!, dashed: false },
      { label: "→ JetStream", color: HOP_COLORS[1]!, dashed: false },
      { label: "JetStream → other side", color: HOP_COLORS[2]!, dashed: false },
      { label: "end to end", color: HOP_COLORS[3]!, dashed: false },
    ]),
  );
  return out.join("\n");
};

export const renderChart = (r: BenchResults): string => {
  const title = `Support chat benchmark — ${r.startedAt.slice(0, 16).replace("T", " ")} UTC, ${r.machine.cpus} cores, all on one box${r.quick ? " (quick mode)" : ""}`;
  const panels = [
    latencyPanel(r, { x: 90, y: 80, w: 560, h: 340 }),
    throughputPanel(r, { x: 790, y: 80, w: 560, h: 340 }),
    hopsPanel(r, { x: 90, y: 590, w: 560, h: 320 }),
    memoryPanel(r, { x: 790, y: 590, w: 560, h: 320 }),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fafafa"/>`,
    text(W / 2, 34, title, 'font-size="20" font-weight="700" text-anchor="middle"'),
    ...panels,
    "</svg>",
  ].join("\n");
};
