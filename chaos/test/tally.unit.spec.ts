import { describe, expect, it } from "vitest";
import { ConversationView } from "../src/domain/conversation-view.js";
import type { Outgoing } from "../src/domain/ledger.js";
import { auditLog, type LoggedEvent } from "../src/domain/log-audit.js";
import { tally, type HeldView } from "../src/domain/tally.js";
import { judgeRun } from "../src/domain/verdict.js";

const sent = (seq: number, overrides: Partial<Outgoing> = {}): Outgoing => ({
  roomId: "r1",
  senderId: "cust",
  clientMessageId: `k${seq}`,
  text: `m${seq}`,
  phase: "chat-service",
  attempts: 1,
  acked: { id: `id${seq}`, seq },
  refused: null,
  ...overrides,
});
const logged = (seq: number, clientMessageId = `k${seq}`): LoggedEvent => ({
  globalPosition: seq,
  type: "MessagePosted",
  data: {
    roomId: "r1",
    messageId: `id${seq}`,
    seq,
    clientMessageId,
    senderId: "cust",
    message: `m${seq}`,
  },
});
const agentView = (seqs: number[], before = seqs): HeldView => {
  const view = new ConversationView("r1");
  for (const seq of seqs) {
    view.receive(
      { id: `id${seq}`, seq, senderId: "cust", clientMessageId: `k${seq}`, message: `m${seq}` },
      "push",
    );
  }
  return { participantId: "agent", view, seqsBeforeResync: new Set(before) };
};
const noObservations = {
  unrecovered: [],
  unassignedRooms: [],
  notCaughtUpOnTheirOwn: [],
  invalidPushes: 0,
};

describe("the per-fault tally", () => {
  it("counts a clean phase: everything acked is logged once and shown by the other side", () => {
    const audit = auditLog([logged(1), logged(2)], 3);
    const t = tally([sent(1), sent(2)], audit, [agentView([1, 2], [1])], ["chat-service"]);
    expect(t.phases).toEqual([
      {
        phase: "chat-service",
        sent: 2,
        acked: 2,
        refused: 0,
        unacked: 0,
        delivered: 2,
        deliveredBeforeFinalResync: 1,
        lost: 0,
        duplicated: 0,
      },
    ]);
    expect(t.problems).toEqual([]);
  });

  it("counts an acked message missing from the log as lost, and the run fails", () => {
    const audit = auditLog([logged(1)], 3);
    const ledger = [sent(1), sent(2)];
    const views = [agentView([1])];
    const t = tally(ledger, audit, views, ["chat-service"]);
    expect(t.phases[0]).toMatchObject({ acked: 2, lost: 1, delivered: 1 });
    expect(t.problems).toContain(
      "acked k2 in room r1 (phase chat-service) is not in the event log",
    );
    const failed = judgeRun({ ledger, audit, views, tally: t, observed: noObservations }).filter(
      (i) => !i.ok,
    );
    expect(failed.map((i) => i.name)).toContain(
      "every acked message is in the event log exactly once, with the text sent (lost = 0, duplicated = 0)",
    );
  });

  it("counts a message the other side never shows as lost", () => {
    const audit = auditLog([logged(1), logged(2)], 3);
    const t = tally([sent(1), sent(2)], audit, [agentView([1])], ["chat-service"]);
    expect(t.phases[0]).toMatchObject({ lost: 1, delivered: 1 });
    expect(t.problems).toEqual(["agent never shows acked k2 in room r1 (phase chat-service)"]);
  });

  it("counts a message recorded twice as duplicated", () => {
    const audit = auditLog(
      [logged(1), { ...logged(2, "k1"), data: { ...logged(2, "k1").data, messageId: "id2" } }],
      3,
    );
    const t = tally([sent(1)], audit, [agentView([1])], ["chat-service"]);
    expect(t.phases[0]).toMatchObject({ duplicated: 1 });
  });

  it("keeps refused and unanswered messages apart from acked ones", () => {
    const audit = auditLog([], 3);
    const ledger = [
      sent(1, { acked: null, refused: { code: "ROOM_CLOSED", message: "closed" } }),
      sent(2, { acked: null }),
    ];
    const t = tally(ledger, audit, [], ["chat-service"]);
    expect(t.phases[0]).toMatchObject({ sent: 2, acked: 0, refused: 1, unacked: 1, lost: 0 });
    const verdict = judgeRun({ ledger, audit, views: [], tally: t, observed: noObservations });
    expect(verdict.find((i) => i.name.startsWith("every message sent was answered"))!.ok).toBe(
      false,
    );
    expect(verdict.find((i) => i.name.startsWith("no valid message was refused"))!.ok).toBe(true);
  });

  it("fails the run when a client's copy differs from the log", () => {
    const audit = auditLog([logged(1), logged(2)], 3);
    const views = [agentView([2])];
    const t = tally([], audit, views, ["chat-service"]);
    const verdict = judgeRun({ ledger: [], audit, views, tally: t, observed: noObservations });
    const shown = verdict.find((i) => i.name.startsWith("every client shows"))!;
    expect(shown.ok).toBe(false);
    expect(shown.details[0]).toContain("shows room r1 as 1 messages, the log has 2");
  });
});
