import { describe, expect, it } from "vitest";
import {
  emptyPresence,
  expireGateways,
  heartbeat,
  onlineAgentIds,
  socketChanged,
  socketCount,
  type Presence,
} from "../src/domain/presence.js";
import type { AgentSocketChanged, GatewayHeartbeat } from "@support-chat/contracts";
import { at, beat, socket } from "./fixtures.js";

const TTL = 15_000;

type Step = AgentSocketChanged | GatewayHeartbeat;
const given = (...steps: Array<[Step, number]>): Presence =>
  steps.reduce(
    (p, [step, now]) =>
      "socketId" in step ? socketChanged(p, step, now) : heartbeat(p, step, now),
    emptyPresence(),
  );

const isOnline = (p: Presence, agentId: string, now: number) =>
  onlineAgentIds(p, now, TTL).has(agentId);

describe("agent presence", () => {
  it("counts an agent online from their first socket", () => {
    const p = given([socket("ann", "s1", true, at(0)), at(0)]);
    expect(isOnline(p, "ann", at(1))).toBe(true);
  });

  it("keeps an agent with several tabs online until the last one closes", () => {
    // given two tabs on two gateways
    let p = given(
      [socket("ann", "s1", true, at(0), "gw-1"), at(0)],
      [socket("ann", "s2", true, at(0), "gw-2"), at(0)],
    );
    // when the first closes
    p = socketChanged(p, socket("ann", "s1", false, at(10), "gw-1"), at(10));
    // then ann is still one agent, online, with one socket
    expect(isOnline(p, "ann", at(11))).toBe(true);
    expect(socketCount(p, "ann", at(11), TTL)).toBe(1);
    // when the second closes too
    p = socketChanged(p, socket("ann", "s2", false, at(20), "gw-2"), at(20));
    // then she is offline
    expect(isOnline(p, "ann", at(21))).toBe(false);
  });

  it("ignores a repeated connect of the same socket", () => {
    let p = given(
      [socket("ann", "s1", true, at(0)), at(0)],
      [socket("ann", "s1", true, at(1)), at(1)],
    );
    expect(socketCount(p, "ann", at(2), TTL)).toBe(1);
    p = socketChanged(p, socket("ann", "s1", false, at(3)), at(3));
    expect(isOnline(p, "ann", at(4))).toBe(false);
  });

  it("repairs a missed connect from the gateway's heartbeat", () => {
    const p = given([beat("gw-1", { ann: 2 }, at(0)), at(0)]);
    expect(isOnline(p, "ann", at(1))).toBe(true);
    expect(socketCount(p, "ann", at(1), TTL)).toBe(2);
  });

  it("repairs a missed disconnect from the gateway's heartbeat", () => {
    const p = given(
      [socket("ann", "s1", true, at(0)), at(0)],
      [beat("gw-1", {}, at(5000)), at(5000)],
    );
    expect(isOnline(p, "ann", at(5001))).toBe(false);
  });

  it("lets a disconnect close a socket it only knew from a heartbeat", () => {
    const p = given(
      [beat("gw-1", { ann: 1 }, at(0)), at(0)],
      [socket("ann", "s-unseen", false, at(10)), at(10)],
    );
    expect(isOnline(p, "ann", at(11))).toBe(false);
  });

  it("keeps the sockets it knows when a heartbeat agrees with them", () => {
    let p = given(
      [socket("ann", "s1", true, at(0)), at(0)],
      [beat("gw-1", { ann: 1 }, at(5000)), at(5000)],
    );
    p = socketChanged(p, socket("ann", "s1", false, at(6000)), at(6000));
    expect(isOnline(p, "ann", at(6001))).toBe(false);
  });

  it("expires the agents of a gateway that stopped heartbeating after the TTL", () => {
    // given ann on gw-1, which beats once and dies; bob on gw-2, which keeps beating
    let p = given(
      [socket("ann", "s1", true, at(0), "gw-1"), at(0)],
      [beat("gw-1", { ann: 1 }, at(0)), at(0)],
      [beat("gw-2", { bob: 1 }, at(0)), at(0)],
      [beat("gw-2", { bob: 1 }, at(10_000)), at(10_000)],
    );
    // then just before the TTL ann is still online, just after she is not
    expect(isOnline(p, "ann", at(TTL - 1))).toBe(true);
    expect(isOnline(p, "ann", at(TTL))).toBe(false);
    expect(isOnline(p, "bob", at(TTL))).toBe(true);
    // and the dead gateway is forgotten, the live one kept
    p = expireGateways(p, at(TTL), TTL);
    expect([...p.keys()]).toEqual(["gw-2"]);
  });

  it("brings a gateway's agents back when it beats again", () => {
    let p = given([beat("gw-1", { ann: 1 }, at(0)), at(0)]);
    p = expireGateways(p, at(TTL + 1), TTL);
    expect(isOnline(p, "ann", at(TTL + 1))).toBe(false);
    p = heartbeat(p, beat("gw-1", { ann: 1 }, at(TTL + 2)), at(TTL + 2));
    expect(isOnline(p, "ann", at(TTL + 3))).toBe(true);
  });
});
