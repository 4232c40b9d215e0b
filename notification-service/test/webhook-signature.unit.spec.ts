import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deliveryHeaders, signatureOf, verifySignature } from "../src/domain/webhooks/signature.js";

const secret = "whsec_test-secret";
const body = JSON.stringify({ id: "e1", type: "MessagePosted", data: { message: "hi" } });
const now = new Date("2026-03-01T12:00:00.000Z");

describe("webhook signatures", () => {
  it("are sha256= and the hex HMAC-SHA256 of the timestamp, a dot and the body", () => {
    const expected = createHmac("sha256", secret).update(`1772366400.${body}`).digest("hex");
    expect(signatureOf(secret, 1_772_366_400, body)).toBe(`sha256=${expected}`);
  });

  it("carry the event id, the attempt's unix time and the signature of both in the headers", () => {
    const headers = deliveryHeaders({ eventId: "e1", secret, body, now });
    expect(headers).toMatchObject({
      "content-type": "application/json",
      "Webhook-Id": "e1",
      "Webhook-Timestamp": "1772366400",
      "Webhook-Signature": signatureOf(secret, 1_772_366_400, body),
    });
  });

  it("verify with the same secret, timestamp and bytes", () => {
    const h = deliveryHeaders({ eventId: "e1", secret, body, now });
    const check = (over: Partial<Parameters<typeof verifySignature>[0]>) =>
      verifySignature({
        secret,
        timestamp: h["Webhook-Timestamp"]!,
        body,
        signature: h["Webhook-Signature"]!,
        now,
        ...over,
      });
    expect(check({})).toBe(true);
    expect(check({ secret: "whsec_other" })).toBe(false);
    expect(check({ body: body.replace("hi", "ho") })).toBe(false);
    expect(check({ timestamp: "1772366401" })).toBe(false);
    expect(check({ signature: "sha256=00" })).toBe(false);
  });

  it("refuse a request signed longer ago than the tolerance (a replay)", () => {
    const h = deliveryHeaders({ eventId: "e1", secret, body, now });
    const later = new Date(now.getTime() + 301_000);
    const args = {
      secret,
      timestamp: h["Webhook-Timestamp"]!,
      body,
      signature: h["Webhook-Signature"]!,
    };
    expect(verifySignature({ ...args, now: later })).toBe(false);
    expect(verifySignature({ ...args, now: later, toleranceSeconds: 600 })).toBe(true);
  });
});
