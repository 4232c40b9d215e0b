import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientEvents, PostMessageBody } from "@support-chat/contracts";
import { malformedFrom } from "../src/malformed.js";

const roomId = "5b0f0d8e-8a43-4d4e-9a57-0d2f4d1c7b11";

describe("malformed payloads derived from the contracts", () => {
  it("are all refused by the schema they were derived from, and fit in a socket frame", () => {
    const valid = { roomId, message: "hello", clientMessageId: "c-1" };
    const schema = clientEvents.sendMessage.payload;
    expect(schema.safeParse(valid).success).toBe(true);
    for (const payload of fc.sample(malformedFrom(schema, valid, 60_000), {
      numRuns: 500,
      seed: 1,
    })) {
      expect(schema.safeParse(payload).success).toBe(false);
      expect((JSON.stringify(payload) ?? "").length).toBeLessThanOrEqual(60_000);
    }
  });

  it("cover the ways a payload goes wrong: not an object, a field missing, a field of the wrong kind, pollution keys", () => {
    const valid = { message: "hello", clientMessageId: "c-1" };
    const samples = fc.sample(malformedFrom(PostMessageBody, valid), { numRuns: 400, seed: 2 });
    const objects = samples.filter(
      (s): s is Record<string, unknown> => typeof s === "object" && s !== null && !Array.isArray(s),
    );
    expect(samples.some((s) => typeof s !== "object" || s === null || Array.isArray(s))).toBe(true);
    expect(objects.some((o) => !("message" in o) || !("clientMessageId" in o))).toBe(true);
    expect(
      objects.some(
        (o) => typeof o["message"] === "number" || typeof o["clientMessageId"] === "boolean",
      ),
    ).toBe(true);
    expect(objects.some((o) => Object.prototype.hasOwnProperty.call(o, "__proto__"))).toBe(true);
    expect(objects.some((o) => Object.keys(o).length > 100)).toBe(true);
  });
});
