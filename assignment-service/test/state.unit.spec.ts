import { describe, expect, it } from "vitest";
import type { RecordedRoomEvent } from "@support-chat/contracts";
import {
  agentView,
  agentViews,
  initialState,
  onAgentSeen,
  onHeartbeat,
  onRoomEvent,
  onSettings,
  onSocketChanged,
  proposals,
  queuePosition,
  queueSnapshot,
  type AssignmentRules,
  type AssignmentState,
} from "../src/domain/state.js";
import { assigned, at, beat, opened, requeued, room, rules, socket } from "./fixtures.js";

const r = rules();

const withEvents = (s: AssignmentState, ...events: RecordedRoomEvent[]) =>
  events.reduce((state, e) => onRoomEvent(state, e, at(1), r).state, s);

const online = (...agentIds: string[]): AssignmentState =>
  agentIds.reduce(
    (s, id) => onSocketChanged(s, socket(id, `${id}-tab`, true, at(0)), at(0), r),
    initialState(),
  );

const waiting = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => opened(room(from + i), at(100 + i)));

const routed = (s: AssignmentState, policy: AssignmentRules["policy"] = "least-loaded") =>
  proposals(s, at(1000), { ...r, policy });

describe("routing decisions from the whole state", () => {
  it("routes the first waiting room to an online, available agent", () => {
    const s = withEvents(online("ann"), opened(room(1), at(100)));
    expect(routed(s)).toEqual([{ roomId: room(1), agentId: "ann" }]);
  });

  it("routes nothing while nobody is online", () => {
    const s = withEvents(initialState(), ...waiting(3));
    expect(routed(s)).toEqual([]);
  });

  it("routes nothing when everyone is busy", () => {
    let s = withEvents(online("ann", "bob"), ...waiting(2));
    s = onSettings(s, "ann", { status: "busy", maxChats: null }, at(1), r);
    s = onSettings(s, "bob", { status: "busy", maxChats: null }, at(1), r);
    expect(routed(s)).toEqual([]);
  });

  it("never routes to an agent who chose offline while still connected", () => {
    let s = withEvents(online("ann"), ...waiting(1));
    s = onSettings(s, "ann", { status: "offline", maxChats: null }, at(1), r);
    expect(routed(s)).toEqual([]);
  });

  it("skips an agent whose capacity is 0", () => {
    let s = withEvents(online("ann", "bob"), ...waiting(2));
    s = onSettings(s, "ann", { status: null, maxChats: 0 }, at(1), r);
    expect(routed(s)).toEqual([
      { roomId: room(1), agentId: "bob" },
      { roomId: room(2), agentId: "bob" },
    ]);
  });

  it("fills 5 agents of capacity 3 with 15 of 20 rooms, 3 each, leaving 5 waiting", () => {
    const s = withEvents(online("a1", "a2", "a3", "a4", "a5"), ...waiting(20));
    const plan = routed(s);
    expect(plan).toHaveLength(15);
    expect(plan.map((p) => p.roomId)).toEqual(waiting(15).map((e) => e.data.roomId));
    const perAgent = new Map<string, number>();
    for (const p of plan) perAgent.set(p.agentId, (perAgent.get(p.agentId) ?? 0) + 1);
    expect([...perAgent.values()]).toEqual([3, 3, 3, 3, 3]);
  });

  it("counts current load: agents at capacity get nothing more", () => {
    const s = withEvents(
      online("ann"),
      ...waiting(4),
      assigned(room(1), "ann", 2, at(200)),
      assigned(room(2), "ann", 2, at(201)),
      assigned(room(3), "ann", 2, at(202)),
    );
    expect(routed(s)).toEqual([]);
  });

  it("serves a requeued room before older rooms that never had an agent", () => {
    const s = withEvents(
      online("ann"),
      opened(room(1), at(100)),
      opened(room(2), at(120)),
      assigned(room(1), "bob", 2, at(150)),
      requeued(room(1), "bob", 3, at(300)),
    );
    expect(routed(s).map((p) => p.roomId)).toEqual([room(1), room(2)]);
  });

  it("honours a per-agent capacity override", () => {
    let s = withEvents(online("ann"), ...waiting(6));
    s = onSettings(s, "ann", { status: null, maxChats: 5 }, at(1), r);
    expect(routed(s)).toHaveLength(5);
  });

  it("makes a reconnecting agent available again unless they chose otherwise", () => {
    let s = online("ann");
    s = onSettings(s, "ann", { status: "busy", maxChats: null }, at(1), r);
    s = onSocketChanged(s, socket("ann", "ann-tab", false, at(2)), at(2), r);
    s = onSocketChanged(s, socket("ann", "ann-tab2", true, at(3)), at(3), r);
    expect(agentView(s, "ann", at(4), r)?.status).toBe("busy");
    expect(agentView(online("bob"), "bob", at(4), r)?.status).toBe("available");
  });
});

describe("what agents and customers see", () => {
  it("tells waiting customers their position and an estimated wait", () => {
    const s = withEvents(
      online("ann"),
      opened(room(1), at(0)),
      opened(room(2), at(1)),
      assigned(room(1), "ann", 2, at(1000)),
      opened(room(3), at(1001)),
      opened(room(4), at(1002)),
      opened(room(5), at(1003)),
      assigned(room(2), "ann", 2, at(4000)),
    );
    // one assignment every 3 s
    const snapshot = queueSnapshot(s, at(5000), r);
    expect(snapshot.rooms.map((q) => [q.roomId, q.position, q.estimatedWaitSeconds])).toEqual([
      [room(3), 1, 3],
      [room(4), 2, 6],
      [room(5), 3, 9],
    ]);
    expect(snapshot.agentsOnline).toBe(1);
    expect(queuePosition(s, room(4), at(5000), r)).toEqual({
      roomId: room(4),
      position: 2,
      estimatedWaitSeconds: 6,
      agentsOnline: 1,
    });
  });

  it("tells customers nobody is online rather than a made-up wait", () => {
    const s = withEvents(initialState(), ...waiting(2));
    const snapshot = queueSnapshot(s, at(1000), r);
    expect(snapshot.agentsOnline).toBe(0);
    expect(snapshot.rooms.map((q) => q.estimatedWaitSeconds)).toEqual([null, null]);
  });

  it("lists an agent who set a status before any gateway reported them", () => {
    let s = onAgentSeen(initialState(), { agentId: "eve", agentName: "Eve", role: "manager" });
    s = onSettings(s, "eve", { status: "busy", maxChats: null }, at(1), r);
    expect(agentViews(s, at(2), r)).toMatchObject([
      { agentId: "eve", agentName: "Eve", role: "manager", status: "busy", online: false },
    ]);
  });

  it("keeps listing an agent who went offline, and anyone holding rooms", () => {
    let s = withEvents(online("ann"), opened(room(1), at(0)), assigned(room(1), "zed", 2, at(5)));
    s = onSocketChanged(s, socket("ann", "ann-tab", false, at(6)), at(6), r);
    expect(agentViews(s, at(7), r).map((a) => [a.agentId, a.online, a.load])).toEqual([
      ["ann", false, 0],
      ["zed", false, 1],
    ]);
  });

  it("has no position for a room that is not waiting", () => {
    const s = withEvents(online("ann"), opened(room(1), at(0)), assigned(room(1), "ann", 2, at(1)));
    expect(queuePosition(s, room(1), at(2), r).position).toBeNull();
  });

  it("lists agents with presence, status, load and capacity", () => {
    let s = withEvents(online("ann"), opened(room(1), at(0)), assigned(room(1), "ann", 2, at(5)));
    s = onHeartbeat(s, beat("gw-2", { bob: 2 }, at(10)), at(10), r);
    s = onSettings(s, "bob", { status: "busy", maxChats: 5 }, at(11), r);
    s = onSettings(s, "cid", { status: null, maxChats: 1 }, at(11), r);
    expect(
      agentViews(s, at(12), r).map((a) => [a.agentId, a.online, a.status, a.load, a.maxChats]),
    ).toEqual([
      ["ann", true, "available", 1, 3],
      ["bob", true, "busy", 0, 5],
    ]);
    // cid has settings but never connected: not listed, yet their view exists
    expect(agentView(s, "cid", at(12), r)?.maxChats).toBe(1);
    expect(agentView(s, "ann", at(12), r)?.lastAssignedAt).toBe(new Date(at(5)).toISOString());
  });
});
