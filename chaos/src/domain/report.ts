import type { Invariant } from "./verdict.js";
import type { PhaseTally } from "./tally.js";

export type FaultRecord = {
  phase: string;
  fault: string;
  description: string;
  /** How long the component was down (dead process / stopped server). */
  downMs: number;
  /** From the component going down until every process answered /readyz again. */
  recoveryMs: number;
  unrecovered: string[];
  /** The last lines of each process that did not recover, as evidence. */
  evidence: Record<string, string[]>;
};

export type ChaosReport = {
  ok: boolean;
  profile: string;
  seed: number;
  startedAt: string;
  durationMs: number;
  participants: { customers: number; agents: number; rooms: number; agentMaxChats: number };
  phases: Array<PhaseTally & { fault: FaultRecord | null }>;
  total: PhaseTally;
  invariants: Invariant[];
  clients: {
    reconnects: number;
    catchUps: number;
    retriesByReason: Record<string, number>;
    pushesOutOfOrder: number;
    redundantArrivals: number;
  };
  peakLoadByAgent: Record<string, number>;
  logs: string[];
};

const row = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The report as a page a person reads: the per-fault table first, then every invariant. */
export const renderMarkdown = (r: ChaosReport): string => {
  const lines = [
    `# Fault injection: ${r.ok ? "PASSED" : "FAILED"}`,
    "",
    `Profile \`${r.profile}\`, seed ${r.seed}, started ${r.startedAt}, took ${seconds(r.durationMs)}.`,
    `${r.participants.customers} customers, ${r.participants.agents} agents (at most ${r.participants.agentMaxChats} chats each), ${r.participants.rooms} rooms.`,
    "",
    "Counts are per fault window: a message belongs to the window it was first sent in.",
    "_Delivered_ means every other client holding the room shows it after recovery; _on their own_",
    "means every recipient had it before the final resync (by push, or by a gap or reconnect catch-up).",
    "",
    row([
      "Fault",
      "Down",
      "Recovery",
      "Sent",
      "Acked",
      "Delivered",
      "On their own",
      "Lost",
      "Duplicated",
      "Refused",
      "Unacked",
    ]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
    ...r.phases.map((p) =>
      row([
        p.fault ? `${p.phase}: ${p.fault.description}` : p.phase,
        p.fault ? seconds(p.fault.downMs) : "",
        p.fault ? seconds(p.fault.recoveryMs) : "",
        p.sent,
        p.acked,
        p.delivered,
        p.deliveredBeforeFinalResync,
        p.lost,
        p.duplicated,
        p.refused,
        p.unacked,
      ]),
    ),
    row([
      "**total**",
      "",
      "",
      r.total.sent,
      r.total.acked,
      r.total.delivered,
      r.total.deliveredBeforeFinalResync,
      r.total.lost,
      r.total.duplicated,
      r.total.refused,
      r.total.unacked,
    ]),
    "",
    "## Invariants",
    "",
    ...r.invariants.flatMap((i) => [
      `- ${i.ok ? "✅" : "❌"} ${i.name}`,
      ...i.details.map((d) => `  - ${d}`),
    ]),
    "",
    "## Clients",
    "",
    `Reconnects ${r.clients.reconnects}, catch-up fetches ${r.clients.catchUps}, pushes out of order ${r.clients.pushesOutOfOrder},`,
    `messages received again after being shown ${r.clients.redundantArrivals} (de-duplicated by seq).`,
    `Retries by reason: ${
      Object.entries(r.clients.retriesByReason)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none"
    }.`,
    "",
    `Peak open rooms per agent: ${
      Object.entries(r.peakLoadByAgent)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none"
    }.`,
    ...r.phases.flatMap((p) =>
      Object.entries(p.fault?.evidence ?? {}).flatMap(([name, lines]) => [
        "",
        `### ${name} after ${p.phase}: its last output`,
        "",
        "```",
        ...lines,
        "```",
      ]),
    ),
    ...(r.logs.length > 0 ? ["", "Service logs: " + r.logs.join(", ")] : []),
    "",
  ];
  return lines.join("\n");
};
