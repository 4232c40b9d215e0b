import { createHmac, timingSafeEqual } from "node:crypto";
import { WEBHOOK_HEADERS } from "@support-chat/contracts";

/**
 * What a receiver checks: `sha256=` and the hex HMAC-SHA256, keyed with the subscription's
 * secret, of the timestamp, a dot and the exact body bytes. Signing the timestamp with the body
 * lets receivers refuse old requests replayed at them.
 */
export const signatureOf = (secret: string, timestamp: number, body: string): string =>
  `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;

/** The headers of one attempt; `Webhook-Id` is the event id, the same on every retry. */
export const deliveryHeaders = (opts: {
  eventId: string;
  secret: string;
  body: string;
  now: Date;
}): Record<string, string> => {
  const timestamp = Math.floor(opts.now.getTime() / 1000);
  return {
    "content-type": "application/json",
    "user-agent": "support-chat-webhooks/1",
    [WEBHOOK_HEADERS.id]: opts.eventId,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signatureOf(opts.secret, timestamp, opts.body),
  };
};

/**
 * The receiver's side, as documented for integrators (and used by our tests): the signature
 * must match and the timestamp be within `toleranceSeconds` of `now`.
 */
export const verifySignature = (opts: {
  secret: string;
  timestamp: string;
  body: string;
  signature: string;
  now: Date;
  toleranceSeconds?: number;
}): boolean => {
  const timestamp = Number(opts.timestamp);
  if (!Number.isInteger(timestamp)) return false;
  const age = Math.abs(opts.now.getTime() / 1000 - timestamp);
  if (age > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signatureOf(opts.secret, timestamp, opts.body));
  const given = Buffer.from(opts.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};
