import type { RoomEventBody } from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import { evolveFacts, mayChangeFacts, type RoomFacts } from "../src/domain/report-facts.js";
import {
  agent,
  assigned,
  closed,
  customer,
  manager,
  opened,
  otherAgent,
  posted,
  read,
  requeued,
  ROOM,
} from "./fixtures.js";

const OPENED_AT = new Date("2026-03-04T10:00:00.000Z");
const at = (seconds: number) => new Date(OPENED_AT.getTime() + seconds * 1000);

/** Given events at the given seconds after the opening, the facts they fold into. */
const given = (...timeline: [number, RoomEventBody][]): RoomFacts | undefined =>
  timeline.reduce<RoomFacts | undefined>(
    (facts, [seconds, event]) => evolveFacts(facts, event, at(seconds)),
    undefined,
  );

const rated = (score: number): RoomEventBody => ({
  type: "RoomRated",
  data: { roomId: ROOM, customerId: customer.id, score, comment: null },
});

describe("report facts of a room", () => {
  it("knows nothing before the room is opened", () => {
    expect(given([0, posted(1)], [5, assigned()])).toBeUndefined();
  });

  it("opens with only the opening time and the customer", () => {
    expect(given([0, opened()])).toEqual({
      roomId: ROOM,
      customerId: customer.id,
      openedAt: OPENED_AT,
      firstAssignedAt: null,
      firstResponseAt: null,
      firstResponderId: null,
      firstResponderName: null,
      closedAt: null,
      lastAgentId: null,
      rating: null,
      ratedAt: null,
      spans: [],
    });
  });

  it("takes the first assignment, the first support reply and the close", () => {
    const facts = given(
      [0, opened()],
      [10, posted(1)],
      [40, assigned(agent)],
      [100, posted(2, agent)],
      [130, posted(3, agent)],
      [400, closed(customer)],
    );
    expect(facts).toMatchObject({
      firstAssignedAt: at(40),
      firstResponseAt: at(100),
      firstResponderId: agent.id,
      closedAt: at(400),
      lastAgentId: agent.id,
      spans: [{ agentId: agent.id, agentName: agent.name, from: at(40), until: at(400) }],
    });
  });

  it("does not count customer messages as a response", () => {
    expect(given([0, opened()], [10, posted(1)], [20, posted(2)])?.firstResponseAt).toBeNull();
  });

  it("counts a reply by a manager who was never assigned", () => {
    const facts = given([0, opened()], [30, posted(1, manager)]);
    expect(facts).toMatchObject({
      firstResponseAt: at(30),
      firstResponderId: manager.id,
      firstResponderName: manager.name,
    });
    expect(facts?.firstAssignedAt).toBeNull();
  });

  it("ends one agent's span where a transfer starts the next, keeping the first assignment", () => {
    const facts = given(
      [0, opened()],
      [20, assigned(agent)],
      [300, assigned(otherAgent, "transferred", agent.id)],
      [900, closed(otherAgent)],
    );
    expect(facts?.firstAssignedAt).toEqual(at(20));
    expect(facts?.lastAgentId).toBe(otherAgent.id);
    expect(facts?.spans).toEqual([
      { agentId: agent.id, agentName: agent.name, from: at(20), until: at(300) },
      { agentId: otherAgent.id, agentName: otherAgent.name, from: at(300), until: at(900) },
    ]);
  });

  it("ends the span at a requeue and remembers the last agent", () => {
    const facts = given([0, opened()], [20, assigned(agent)], [60, requeued(agent.id)]);
    expect(facts?.spans).toEqual([
      { agentId: agent.id, agentName: agent.name, from: at(20), until: at(60) },
    ]);
    expect(facts?.lastAgentId).toBe(agent.id);
    expect(facts?.closedAt).toBeNull();
  });

  it("keeps the latest rating and when it was given", () => {
    const facts = given([0, opened()], [50, closed()], [70, rated(2)], [90, rated(5)]);
    expect(facts).toMatchObject({ rating: 5, ratedAt: at(90), closedAt: at(50) });
  });

  it("returns the same facts for events that tell the reports nothing", () => {
    const before = given([0, opened()], [5, assigned()], [9, posted(1, agent)]);
    expect(evolveFacts(before, posted(2, agent), at(20))).toBe(before);
    expect(evolveFacts(before, read("support", 1, agent), at(20))).toBe(before);
    const shut = evolveFacts(before, closed(), at(30));
    expect(evolveFacts(shut, closed(), at(40))).toBe(shut);
  });

  it("says which events can change facts", () => {
    expect(mayChangeFacts(posted(1))).toBe(false);
    expect(mayChangeFacts(posted(2, agent))).toBe(true);
    expect(mayChangeFacts(read("customer", 1, customer))).toBe(false);
    expect(mayChangeFacts(assigned())).toBe(true);
    expect(mayChangeFacts(rated(4))).toBe(true);
  });
});
