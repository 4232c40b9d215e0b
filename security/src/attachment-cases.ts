import fc from "fast-check";
import type { Person } from "@support-chat/system-tests/src/clients.js";

type Case = {
  method: "GET" | "POST";
  path: string;
  who: Person | null;
  headers?: Record<string, string>;
  body?: string;
};

const BOUNDARY = "fuzzboundary";

/** A multipart body around arbitrary parts, some well-formed, most not. */
const multipart = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    "",
    `--${BOUNDARY}--\r\n`,
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"\r\n\r\nno filename, no end`,
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\r\n--${BOUNDARY}--\r\n`,
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="other"; filename="a.png"\r\n\r\nPNG\r\n--${BOUNDARY}--\r\n`,
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\nContent-Type: image/png\r\n\r\nMZ\u0090\u0000\r\n--${BOUNDARY}--\r\n`,
  ),
  fc.record({ name: fc.string({ maxLength: 40 }), content: fc.string({ maxLength: 80 }) }).map(
    ({ name, content }) =>
      // Content that is neither an allowed format nor text: a well-formed upload of it is refused.
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n\u0000\u0001${content}\r\n--${BOUNDARY}--\r\n`,
  ),
);

const contentTypes = fc.constantFrom(
  `multipart/form-data; boundary=${BOUNDARY}`,
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "application/json",
  "text/plain",
  "image/png",
);

/**
 * Malformed uploads and downloads: broken multipart bodies and headers, and attachment ids
 * that are not ids. Every one must get a clear 4xx and store nothing.
 */
export const attachmentCases = (
  roomId: string,
  customer: Person,
  sample: <T>(arb: fc.Arbitrary<T>, numRuns: number, salt: number) => T[],
): Case[] => [
  ...sample(fc.record({ type: contentTypes, body: multipart }), 300, 600).map(({ type, body }) => ({
    method: "POST" as const,
    path: `/api/chat/room/${roomId}/attachments`,
    who: customer,
    headers: { "content-type": type },
    body,
  })),
  ...sample(
    fc.oneof(
      fc.string({ minLength: 1, maxLength: 60 }),
      fc.uuid().map((u) => u.toUpperCase().replace(/-/g, "")),
      fc.constantFrom("%2e%2e%2f", "null", "\u0000", "a".repeat(300)),
    ),
    100,
    601,
  )
    // Dot segments are resolved by the HTTP client before sending (to the room's own routes).
    .filter((id) => id !== "." && id !== "..")
    .map((id) => ({
      method: "GET" as const,
      path: `/api/chat/room/${roomId}/attachments/${encodeURIComponent(id)}`,
      who: customer,
    })),
];
