import type { ConversationView } from "./conversation-view.js";
import type { Outgoing } from "./ledger.js";
import type { LogAudit, LoggedMessage } from "./log-audit.js";

/** A client's copy of a room, and which seqs it had found on its own before the final resync. */
export type HeldView = Readonly<{
  participantId: string;
  view: ConversationView;
  seqsBeforeResync: ReadonlySet<number>;
}>;

export type PhaseTally = {
  phase: string;
  /** Messages first written during this phase. */
  sent: number;
  acked: number;
  /** Refused for good (e.g. sent into a room its customer had just closed): never acked. */
  refused: number;
  /** Still without an answer when the run ended. */
  unacked: number;
  /** Acked and shown by every other client holding the room, after recovery. */
  delivered: number;
  /** ...of which every recipient had found on its own (push, gap or reconnect catch-up). */
  deliveredBeforeFinalResync: number;
  /** Acked but missing from the log, or from a recipient's screen. Must be 0. */
  lost: number;
  /** Recorded or shown more than once. Must be 0. */
  duplicated: number;
};

export type Tally = { phases: PhaseTally[]; problems: string[] };

const emptyTally = (phase: string): PhaseTally => ({
  phase,
  sent: 0,
  acked: 0,
  refused: 0,
  unacked: 0,
  delivered: 0,
  deliveredBeforeFinalResync: 0,
  lost: 0,
  duplicated: 0,
});

const logged = (audit: LogAudit, o: Outgoing): LoggedMessage[] =>
  (audit.messages.get(o.roomId) ?? []).filter(
    (m) => m.senderId === o.senderId && m.clientMessageId === o.clientMessageId,
  );

type Verdict = { lost: boolean; duplicated: boolean; delivered: boolean; early: boolean };

const judge = (
  o: Outgoing,
  audit: LogAudit,
  recipients: readonly HeldView[],
  problems: string[],
): Verdict => {
  const inLog = logged(audit, o);
  const acked = o.acked!;
  const where = `${o.clientMessageId} in room ${o.roomId} (phase ${o.phase})`;
  let lost = false;
  if (inLog.length === 0) {
    problems.push(`acked ${where} is not in the event log`);
    lost = true;
  } else if (inLog[0]!.id !== acked.id || inLog[0]!.seq !== acked.seq) {
    problems.push(
      `acked ${where} as ${acked.id}@${acked.seq}, log has ${inLog[0]!.id}@${inLog[0]!.seq}`,
    );
    lost = true;
  } else if (inLog[0]!.message !== o.text) {
    problems.push(`acked ${where}: the log holds different text`);
    lost = true;
  }
  const duplicated =
    inLog.length > 1 ||
    recipients.some((r) =>
      r.view.anomalies.some(
        (a) => a.kind === "shown-twice" && a.detail.startsWith(o.clientMessageId),
      ),
    );
  if (inLog.length > 1) problems.push(`${where} is in the log ${inLog.length} times`);
  const missing = recipients.filter((r) => !r.view.has(acked.id, acked.seq));
  for (const r of missing) problems.push(`${r.participantId} never shows acked ${where}`);
  return {
    lost: lost || missing.length > 0,
    duplicated,
    delivered: missing.length === 0,
    early: recipients.every((r) => r.seqsBeforeResync.has(acked.seq)),
  };
};

/**
 * Counts, per fault window, what was sent, acknowledged and delivered, and what was lost or
 * doubled, from three independent records: what senders were told (the ledger), what the
 * event log holds, and what each client ended up showing.
 */
export const tally = (
  ledger: readonly Outgoing[],
  audit: LogAudit,
  views: readonly HeldView[],
  phases: readonly string[],
): Tally => {
  const byPhase = new Map(phases.map((p) => [p, emptyTally(p)]));
  const problems: string[] = [];
  for (const o of ledger) {
    const t = byPhase.get(o.phase) ?? emptyTally(o.phase);
    byPhase.set(o.phase, t);
    t.sent++;
    if (o.refused) {
      t.refused++;
      continue;
    }
    if (!o.acked) {
      t.unacked++;
      continue;
    }
    t.acked++;
    const recipients = views.filter(
      (v) => v.view.roomId === o.roomId && v.participantId !== o.senderId,
    );
    const verdict = judge(o, audit, recipients, problems);
    if (verdict.lost) t.lost++;
    if (verdict.duplicated) t.duplicated++;
    if (verdict.delivered) t.delivered++;
    if (verdict.delivered && verdict.early) t.deliveredBeforeFinalResync++;
  }
  return { phases: [...byPhase.values()], problems };
};
