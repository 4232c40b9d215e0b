import { describe, expect, it } from "vitest";
import {
  initialState,
  onHeartbeat,
  onRoomEvent,
  onSettings,
  onSocketChanged,
  onTick,
  proposals,
  roomsToRequeue,
  type AssignmentState,
} from "../src/domain/state.js";
import { assigned, at, beat, opened, room, rules, socket } from "./fixtures.js";

const GRACE = 60_000;
const r = rules({ offlineGraceMs: GRACE });

/** ann online on gw-1 with rooms 1 and 2 open. */
const annWithTwoRooms = (): AssignmentState => {
  const s = onSocketChanged(initialState(), socket("ann", "s1", true, at(0)), at(0), r);
  return [
    opened(room(1), at(1)),
    opened(room(2), at(2)),
    assigned(room(1), "ann", 2, at(3)),
    assigned(room(2), "ann", 2, at(4)),
  ].reduce((state, e) => onRoomEvent(state, e, at(5), r).state, s);
};

const requeueIds = (s: AssignmentState, now: number) =>
  roomsToRequeue(s, now, r)
    .map((x) => x.roomId)
    .sort();

describe("reassignment of an absent agent's rooms", () => {
  it("requeues nothing while the agent is online", () => {
    const s = annWithTwoRooms();
    expect(requeueIds(onTick(s, at(GRACE * 10), r), at(GRACE * 10))).toEqual([]);
  });

  it("requeues nothing when the agent's last socket closed less than the grace ago", () => {
    let s = annWithTwoRooms();
    s = onSocketChanged(s, socket("ann", "s1", false, at(1000)), at(1000), r);
    s = onTick(s, at(1000 + GRACE - 1), r);
    expect(requeueIds(s, at(1000 + GRACE - 1))).toEqual([]);
  });

  it("requeues every open room once the agent has been gone for the grace", () => {
    let s = annWithTwoRooms();
    s = onSocketChanged(s, socket("ann", "s1", false, at(1000)), at(1000), r);
    s = onTick(s, at(1000 + GRACE), r);
    expect(requeueIds(s, at(1000 + GRACE))).toEqual([room(1), room(2)]);
  });

  it("forgives flapping: back within the grace, the clock starts over", () => {
    // given ann drops and comes back within the grace
    let s = annWithTwoRooms();
    s = onSocketChanged(s, socket("ann", "s1", false, at(1000)), at(1000), r);
    s = onSocketChanged(s, socket("ann", "s2", true, at(30_000)), at(30_000), r);
    // and drops again
    s = onSocketChanged(s, socket("ann", "s2", false, at(40_000)), at(40_000), r);
    // then a grace after the FIRST drop nothing is requeued...
    s = onTick(s, at(1000 + GRACE), r);
    expect(requeueIds(s, at(1000 + GRACE))).toEqual([]);
    // ...and a grace after the second drop, everything is
    s = onTick(s, at(40_000 + GRACE), r);
    expect(requeueIds(s, at(40_000 + GRACE))).toEqual([room(1), room(2)]);
  });

  it("keeps the rooms of an agent who closes one tab of two", () => {
    let s = annWithTwoRooms();
    s = onSocketChanged(s, socket("ann", "s2", true, at(10)), at(10), r);
    s = onSocketChanged(s, socket("ann", "s1", false, at(20)), at(20), r);
    s = onTick(s, at(20 + GRACE * 2), r);
    expect(requeueIds(s, at(20 + GRACE * 2))).toEqual([]);
  });

  it("requeues the rooms of an agent who set themselves offline, after the grace", () => {
    let s = annWithTwoRooms();
    s = onSettings(s, "ann", { status: "offline", maxChats: null }, at(1000), r);
    expect(requeueIds(onTick(s, at(1000 + GRACE - 1), r), at(1000 + GRACE - 1))).toEqual([]);
    expect(requeueIds(onTick(s, at(1000 + GRACE), r), at(1000 + GRACE))).toEqual([
      room(1),
      room(2),
    ]);
  });

  it("lets a busy agent keep their rooms", () => {
    let s = annWithTwoRooms();
    s = onSettings(s, "ann", { status: "busy", maxChats: null }, at(1000), r);
    s = onTick(s, at(GRACE * 3), r);
    expect(requeueIds(s, at(GRACE * 3))).toEqual([]);
  });

  it("requeues the rooms of agents on a gateway that died, TTL plus grace after its last beat", () => {
    // given ann known only from gw-1's heartbeats, which stop at t=0
    let s = onHeartbeat(initialState(), beat("gw-1", { ann: 1 }, at(0)), at(0), r);
    s = onRoomEvent(s, opened(room(1), at(1)), at(1), r).state;
    s = onRoomEvent(s, assigned(room(1), "ann", 2, at(2)), at(2), r).state;
    // when the sweep notices the gateway is gone
    s = onTick(s, at(r.presenceTtlMs), r);
    // then after the grace her room is requeued
    expect(requeueIds(s, at(r.presenceTtlMs + GRACE - 1))).toEqual([]);
    expect(requeueIds(s, at(r.presenceTtlMs + GRACE))).toEqual([room(1)]);
  });

  it("stops routing to an agent the moment they go away", () => {
    let s = annWithTwoRooms();
    s = onRoomEvent(s, opened(room(3), at(10)), at(10), r).state;
    expect(proposals(s, at(11), r)).toEqual([{ roomId: room(3), agentId: "ann" }]);
    s = onSocketChanged(s, socket("ann", "s1", false, at(12)), at(12), r);
    expect(proposals(s, at(13), r)).toEqual([]);
  });
});
