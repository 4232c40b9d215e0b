import type { HeldView, PhaseTally, Tally } from "./tally.js";
import type { LogAudit } from "./log-audit.js";
import type { Outgoing } from "./ledger.js";

export type Invariant = { name: string; ok: boolean; details: string[] };

/** What the run observed, beyond the per-message tally. */
export type Observations = {
  /** Processes that did not answer /readyz in time after a fault, as "fault: process". */
  unrecovered: string[];
  /** Rooms still without an agent after the drain, though agents had room for them. */
  unassignedRooms: string[];
  /** Live conversations (held by a client at the end) not caught up without a forced resync. */
  notCaughtUpOnTheirOwn: string[];
  /** Pushes that did not match their contract schema. */
  invalidPushes: number;
};

const MAX_DETAILS = 20;
const invariant = (name: string, problems: string[]): Invariant => ({
  name,
  ok: problems.length === 0,
  details: problems.slice(0, MAX_DETAILS),
});

export const totalOf = (phases: readonly PhaseTally[]): PhaseTally =>
  phases.reduce<PhaseTally>(
    (sum, t) => ({
      phase: "total",
      sent: sum.sent + t.sent,
      acked: sum.acked + t.acked,
      refused: sum.refused + t.refused,
      unacked: sum.unacked + t.unacked,
      delivered: sum.delivered + t.delivered,
      deliveredBeforeFinalResync: sum.deliveredBeforeFinalResync + t.deliveredBeforeFinalResync,
      lost: sum.lost + t.lost,
      duplicated: sum.duplicated + t.duplicated,
    }),
    {
      phase: "total",
      sent: 0,
      acked: 0,
      refused: 0,
      unacked: 0,
      delivered: 0,
      deliveredBeforeFinalResync: 0,
      lost: 0,
      duplicated: 0,
    },
  );

/** Each client's copy, after recovery, must be the log's conversation: complete, once, in order. */
const viewProblems = (views: readonly HeldView[], audit: LogAudit): string[] =>
  views.flatMap(({ participantId, view }) => {
    const problems = view.anomalies.map(
      (a) => `${participantId} ${a.kind} in room ${a.roomId} at seq ${a.seq}: ${a.detail}`,
    );
    const shown = view.shown().map((m) => `${m.seq}:${m.id}`);
    const logged = (audit.messages.get(view.roomId) ?? []).map((m) => `${m.seq}:${m.id}`);
    if (shown.join(",") !== logged.join(",")) {
      const missing = logged.filter((m) => !shown.includes(m));
      const extra = shown.filter((m) => !logged.includes(m));
      problems.push(
        `${participantId} shows room ${view.roomId} as ${shown.length} messages, the log has ${logged.length}` +
          ` (missing ${missing.slice(0, 5).join(" ") || "none"}; not in log ${extra.slice(0, 5).join(" ") || "none"})`,
      );
    }
    return problems;
  });

/** The invariants the run must keep; any failure makes the run fail. */
export const judgeRun = (input: {
  ledger: readonly Outgoing[];
  audit: LogAudit;
  views: readonly HeldView[];
  tally: Tally;
  observed: Observations;
}): Invariant[] => {
  const { ledger, audit, views, tally, observed } = input;
  const total = totalOf(tally.phases);
  const refusedWrongly = ledger
    .filter((o) => o.refused && o.refused.code !== "ROOM_CLOSED")
    .map((o) => `${o.clientMessageId} in ${o.roomId}: ${o.refused!.code} ${o.refused!.message}`);
  const unacked = ledger
    .filter((o) => !o.acked && !o.refused)
    .map(
      (o) => `${o.clientMessageId} in ${o.roomId} after ${o.attempts} attempts (phase ${o.phase})`,
    );
  return [
    invariant("every process recovered after every fault", observed.unrecovered),
    invariant("every message sent was answered (retries with the same clientMessageId)", unacked),
    invariant("no valid message was refused (except into a room closed meanwhile)", refusedWrongly),
    invariant(
      "every acked message is in the event log exactly once, with the text sent (lost = 0, duplicated = 0)",
      total.lost > 0 || total.duplicated > 0
        ? [`lost ${total.lost}, duplicated ${total.duplicated}`, ...tally.problems]
        : [],
    ),
    invariant("no message recorded twice in the log", audit.duplicates),
    invariant("seqs are gap-free in every room", audit.seqGaps),
    invariant(
      "every client shows every message of its rooms exactly once, in seq order, after recovering",
      viewProblems(views, audit),
    ),
    invariant(
      "live conversations caught up on their own (push, gap or reconnect catch-up)",
      observed.notCaughtUpOnTheirOwn,
    ),
    invariant(
      "every waiting room was assigned once an agent was available",
      observed.unassignedRooms,
    ),
    invariant(
      "no room held by two agents, no agent over capacity (log replayed in order)",
      audit.assignmentViolations,
    ),
    invariant(
      "every push matched its contract schema",
      observed.invalidPushes > 0 ? [`${observed.invalidPushes} invalid pushes`] : [],
    ),
  ];
};
