import fc from "fast-check";
import { CreateCannedResponseBody, EditCannedResponseBody } from "@support-chat/contracts";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import { malformedFrom } from "./malformed.js";

type Case = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  who: Person | null;
  headers?: Record<string, string>;
  body?: string;
};

const PATH = "/api/chat/support/canned-responses";
/** No canned response has this id: well-formed changes to it are NOT_FOUND. */
const NOBODY = "00000000-0000-4000-8000-0000000000c4";
const JSON_TYPE = { "content-type": "application/json" };
const json = (body: unknown) => JSON.stringify(body);

const hostileIds = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 60 }),
    fc.uuid().map((u) => u.toUpperCase().replace(/-/g, "")),
    fc.uuid(),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
    fc.integer({ min: 200, max: 4000 }).map((n) => "9".repeat(n)),
    fc.constantFrom("..", "%2e%2e%2f", "null", "' or 1=1", "\u0000"),
  )
  // "." and ".." as whole segments are resolved away by the HTTP client before sending.
  .filter((id) => id !== "." && id !== "..");

const hostileVersions = fc.oneof(
  fc.constantFrom("", "0", "-1", "1.5", "1e400", "0x10", "NaN", "first", "9".repeat(400)),
  fc.string({ maxLength: 20 }).filter((v) => !/^\s*\d+\s*$/.test(v) || Number(v) < 1),
);

/**
 * Malformed requests to every canned-response route, sent as a manager (who may change the
 * catalog, so only the malformation can be why they are refused), plus well-formed ones from
 * people who may not: every one must get a clear 4xx and change nothing.
 */
export const cannedFuzzCases = (opts: {
  manager: Person;
  agent: Person;
  customer: Person;
  sample: <T>(arb: fc.Arbitrary<T>, numRuns: number, salt: number) => T[];
}): Case[] => {
  const { manager, agent, customer, sample } = opts;
  const valid = { title: "Hello", shortcut: "fuzz-hello", text: "Hello there" };
  const ids = (salt: number, n: number) => sample(hostileIds, n, salt).map(encodeURIComponent);
  return [
    ...sample(malformedFrom(CreateCannedResponseBody, valid), 400, 600).map((body) => ({
      method: "POST" as const,
      path: PATH,
      who: manager,
      headers: JSON_TYPE,
      body: json(body),
    })),
    ...sample(malformedFrom(EditCannedResponseBody, { version: 1, text: "x" }), 300, 601).map(
      (body) => ({
        method: "PUT" as const,
        path: `${PATH}/${NOBODY}`,
        who: manager,
        headers: JSON_TYPE,
        body: json(body),
      }),
    ),
    ...ids(602, 120).map((id) => ({
      method: "PUT" as const,
      path: `${PATH}/${id}`,
      who: manager,
      headers: JSON_TYPE,
      body: json({ version: 1, text: "changed" }),
    })),
    ...ids(603, 120).map((id) => ({
      method: "DELETE" as const,
      path: `${PATH}/${id}`,
      who: manager,
    })),
    ...sample(hostileVersions, 80, 604).map((v) => ({
      method: "DELETE" as const,
      path: `${PATH}/${NOBODY}?version=${encodeURIComponent(v)}`,
      who: manager,
    })),
    // Well-formed, from people who may not: refused before anything is written.
    ...[agent, customer, null].flatMap((who) => [
      { method: "POST" as const, path: PATH, who, headers: JSON_TYPE, body: json(valid) },
      {
        method: "PUT" as const,
        path: `${PATH}/${NOBODY}`,
        who,
        headers: JSON_TYPE,
        body: json({ version: 1, text: "x" }),
      },
      { method: "DELETE" as const, path: `${PATH}/${NOBODY}`, who },
    ]),
  ];
};
