import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  metricSample,
  metricValue,
  people,
  refusal,
  startHarness,
  type Harness,
} from "./harness.js";

/** The metrics the dashboard shows for the chat service move after the right actions. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("chat_command_duration_seconds", () => {
  it("times every command by name and outcome, and no query", async () => {
    const service = await h.start({ RELAY_ENABLED: "false" });
    try {
      const count = (command: string, outcome: string) =>
        metricSample(service, "chat_command_duration_seconds_count", { command, outcome });
      const owner = h.as(people.customer(1));
      const room = await owner.command("openRoom", {});
      const refused = await refusal(
        h.as(people.customer(2)).command("closeRoom", { roomId: room.id }),
      );
      expect(refused.code).toBe("FORBIDDEN");
      await owner.query("getRoom", { roomId: room.id });

      expect(await count("openRoom", "ok")).toBe(1);
      expect(await count("closeRoom", "FORBIDDEN")).toBe(1);
      expect(await count("closeRoom", "ok")).toBe(0);
      expect(await metricSample(service, "chat_command_duration_seconds_count", {})).toBe(2);
      expect(await metricValue(service, "chat_command_duration_seconds_sum")).toBeGreaterThan(0);
    } finally {
      await h.stop(service);
    }
  });
});

describe("chat_first_response_seconds", () => {
  it("observes the time from opening to support's first message once, also on a replica that never saw the room", async () => {
    const customer = h.as(people.customer(3));
    const agent = h.as(people.agent(3));

    // One replica opens the room and takes the customer's message...
    const opening = await h.start({ RELAY_ENABLED: "false" });
    const openSent = Date.now();
    const room = await customer.command("openRoom", {});
    const openAnswered = Date.now();
    await customer.command("postMessage", {
      roomId: room.id,
      clientMessageId: "c-1",
      message: "Where is my parcel?",
    });
    await agent.command("claimRoom", { roomId: room.id });
    expect(await metricValue(opening, "chat_first_response_seconds_count")).toBe(0);
    await h.stop(opening);

    // ...another, with nothing cached, takes support's answers.
    const answering = await h.start({ RELAY_ENABLED: "false" });
    const answerSent = Date.now();
    await agent.command("postMessage", {
      roomId: room.id,
      clientMessageId: "a-1",
      message: "Let me check.",
    });
    const answerAnswered = Date.now();
    await agent.command("postMessage", {
      roomId: room.id,
      clientMessageId: "a-2",
      message: "It arrives tomorrow.",
    });
    await customer.command("postMessage", {
      roomId: room.id,
      clientMessageId: "c-2",
      message: "Thanks!",
    });

    expect(await metricValue(answering, "chat_first_response_seconds_count")).toBe(1);
    const observed = await metricValue(answering, "chat_first_response_seconds_sum");
    expect(observed).toBeGreaterThanOrEqual((answerSent - openAnswered) / 1000);
    expect(observed).toBeLessThanOrEqual((answerAnswered - openSent) / 1000);
    await h.stop(answering);
  });
});
