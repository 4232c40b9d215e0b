import { describe, expect, it } from "vitest";
import { auditLog, type LoggedEvent } from "../src/domain/log-audit.js";

let position = 0;
const event = (type: string, data: Record<string, unknown>): LoggedEvent => ({
  globalPosition: ++position,
  type,
  data,
});
const opened = (roomId: string) => event("RoomOpened", { roomId, customerId: `c-${roomId}` });
const posted = (roomId: string, seq: number, clientMessageId = `k${seq}`) =>
  event("MessagePosted", {
    roomId,
    messageId: `${roomId}-${seq}`,
    seq,
    clientMessageId,
    senderId: `c-${roomId}`,
    message: `m${seq}`,
  });
const assigned = (roomId: string, agentId: string, previousAgentId: string | null = null) =>
  event("AgentAssigned", {
    roomId,
    agentId,
    agentName: agentId,
    reason: "routed",
    previousAgentId,
  });
const closed = (roomId: string) => event("RoomClosed", { roomId, closedBy: "x" });

describe("the audit of the event log", () => {
  it("lists each room's messages in seq order and finds nothing wrong in a clean log", () => {
    const audit = auditLog([opened("r1"), posted("r1", 2), posted("r1", 1)], 3);
    expect(audit.messages.get("r1")!.map((m) => m.seq)).toEqual([1, 2]);
    expect(audit.duplicates).toEqual([]);
    expect(audit.seqGaps).toEqual([]);
  });

  it("finds a message recorded twice under one clientMessageId", () => {
    const audit = auditLog([opened("r1"), posted("r1", 1, "same"), posted("r1", 2, "same")], 3);
    expect(audit.duplicates).toEqual(["r1 c-r1 same ×2"]);
  });

  it("finds a gap in a room's seqs", () => {
    const audit = auditLog([opened("r1"), posted("r1", 1), posted("r1", 3)], 3);
    expect(audit.seqGaps).toEqual(["r1: seqs 1,3"]);
  });

  it("finds an agent holding more open rooms than their capacity at any moment", () => {
    const audit = auditLog(
      [opened("r1"), opened("r2"), opened("r3"), assigned("r1", "a"), assigned("r2", "a")],
      1,
    );
    expect(audit.assignmentViolations).toHaveLength(1);
    expect(audit.assignmentViolations[0]).toContain("agent a holds 2 rooms (capacity 1)");
    expect(audit.peakLoad.get("a")).toBe(2);
  });

  it("frees capacity when a room closes, so a later assignment is within it", () => {
    const audit = auditLog(
      [opened("r1"), opened("r2"), assigned("r1", "a"), closed("r1"), assigned("r2", "a")],
      1,
    );
    expect(audit.assignmentViolations).toEqual([]);
    expect(audit.rooms.get("r1")).toEqual({ status: "closed", agentId: "a" });
    expect(audit.rooms.get("r2")).toEqual({ status: "open", agentId: "a" });
  });

  it("finds a room assigned while another agent holds it", () => {
    const audit = auditLog([opened("r1"), assigned("r1", "a"), assigned("r1", "b")], 3);
    expect(audit.assignmentViolations).toHaveLength(1);
    expect(audit.assignmentViolations[0]).toContain("assigned to b while held by a");
  });

  it("accepts a transfer that names the agent who held the room", () => {
    const audit = auditLog([opened("r1"), assigned("r1", "a"), assigned("r1", "b", "a")], 1);
    expect(audit.assignmentViolations).toEqual([]);
    expect(audit.peakLoad.get("a")).toBe(1);
  });
});
