import { describe, expect, it } from "vitest";
import {
  evolve,
  evolveAll,
  firstResponseSeconds,
  initialState,
  messageKey,
  type OpenRoom,
  type RoomState,
} from "../src/domain/room.js";
import {
  agent,
  assigned,
  closed,
  customer,
  opened,
  posted,
  read,
  requeued,
  ROOM,
} from "./fixtures.js";

const OPENED_AT = new Date("2026-03-04T10:00:00.000Z");
const seconds = (n: number) => new Date(OPENED_AT.getTime() + n * 1000);

const room = (...events: Parameters<typeof evolveAll>[1]) =>
  evolveAll(initialState(), events, OPENED_AT) as OpenRoom;

describe("room evolve", () => {
  it("starts with no room", () => {
    expect(initialState()).toEqual({ status: "none" });
  });

  it("opens a waiting room owned by the customer", () => {
    const state = room(opened());
    expect(state).toMatchObject({
      status: "waiting",
      roomId: ROOM,
      customerId: customer.id,
      customerName: customer.name,
      agentId: null,
      lastSeq: 0,
      readSeq: { customer: 0, support: 0 },
      openedAt: OPENED_AT,
      supportAnswered: false,
    });
  });

  it("remembers each message's seq and id under its sender and client id", () => {
    const state = room(opened(), posted(1), posted(2, agent));
    expect(state.lastSeq).toBe(2);
    expect(state.messages.get(messageKey(customer.id, "c-1"))).toEqual({
      messageId: "00000000-0000-4000-8000-000000000001",
      seq: 1,
    });
    expect(state.messages.get(messageKey(agent.id, "c-2"))?.seq).toBe(2);
    expect(state.messages.get(messageKey(customer.id, "c-2"))).toBeUndefined();
  });

  it("keeps the read mark per side", () => {
    const state = room(opened(), posted(1), posted(2, agent), read("customer", 2, customer));
    expect(state.readSeq).toEqual({ customer: 2, support: 0 });
  });

  it("opens the room to the assigned agent and back to waiting on requeue", () => {
    const open = room(opened(), assigned());
    expect(open).toMatchObject({ status: "open", agentId: agent.id, agentName: agent.name });
    const back = room(opened(), assigned(), requeued());
    expect(back).toMatchObject({ status: "waiting", agentId: null, agentName: null });
  });

  it("closes the room and keeps its history", () => {
    const state = room(opened(), posted(1), closed());
    expect(state.status).toBe("closed");
    expect(state.lastSeq).toBe(1);
  });

  it("does not change the state it was given", () => {
    const before = room(opened(), posted(1));
    const after = evolveAll(before, [posted(2)], seconds(5)) as OpenRoom;
    expect(before.lastSeq).toBe(1);
    expect(before.messages.size).toBe(1);
    expect(after.messages.size).toBe(2);
  });

  it("ignores events of a room that was never opened", () => {
    expect(evolveAll(initialState(), [posted(1), closed()], OPENED_AT)).toEqual({
      status: "none",
    });
  });

  it("keeps the time the room opened, not the time of later events", () => {
    const later = evolve(room(opened()), posted(1), seconds(90)) as OpenRoom;
    expect(later.openedAt).toEqual(OPENED_AT);
  });

  it("notes when support first answers, and only support", () => {
    expect(room(opened(), posted(1)).supportAnswered).toBe(false);
    expect(room(opened(), posted(1), posted(2, agent)).supportAnswered).toBe(true);
    expect(room(opened(), posted(1, agent), posted(2)).supportAnswered).toBe(true);
  });
});

describe("first response time", () => {
  const at = (state: RoomState, events: Parameters<typeof evolveAll>[1], n: number) =>
    firstResponseSeconds(state, events, seconds(n));

  it("is the time from opening to the first support message", () => {
    expect(at(room(opened(), posted(1), assigned()), [posted(2, agent)], 95)).toBe(95);
  });

  it("counts only the first support message", () => {
    expect(at(room(opened(), posted(1, agent)), [posted(2, agent)], 120)).toBeUndefined();
  });

  it("is not ended by the customer's messages or other events", () => {
    const waiting = room(opened(), posted(1));
    expect(at(waiting, [posted(2)], 30)).toBeUndefined();
    expect(at(waiting, [assigned()], 30)).toBeUndefined();
    expect(at(initialState(), [posted(1, agent)], 30)).toBeUndefined();
  });

  it("is never negative, whatever the clocks of two replicas say", () => {
    expect(at(room(opened()), [posted(1, agent)], -2)).toBe(0);
  });
});
