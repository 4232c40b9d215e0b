import { parse as parseQuery } from "node:querystring";
import fc from "fast-check";
import { ReportQuery } from "@support-chat/contracts";
import type { Person } from "@support-chat/system-tests/src/clients.js";

type Case = { method: "GET"; path: string; who: Person | null };

const PATH = "/api/chat/support/reports";

const instant = fc
  .date({ min: new Date("1999-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z") })
  .filter((d) => !Number.isNaN(d.getTime()))
  .map((d) => d.toISOString());

const hostileValue = fc.oneof(
  instant,
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.array(instant, { minLength: 2, maxLength: 3 }),
  fc.constantFrom(
    "",
    "now",
    "2025-02-30T00:00:00Z",
    "2025-03-03",
    "2025-03-03T00:00:00",
    "1e400",
    "-1",
    "Mars/Olympus",
    "UTC'; drop table report_rooms; --",
    "../../etc/localtime",
    "csv ",
    "XML",
    "x".repeat(500),
  ),
);

/**
 * Malformed report queries, sent as a manager (who may read reports, so only the malformation
 * can be why they are refused): periods backwards, too long or not instants at all, unknown
 * time zones and formats, repeated keys. Every one must get a clear 400 and change nothing.
 */
export const reportFuzzCases = (deps: {
  manager: Person;
  sample: <T>(arb: fc.Arbitrary<T>, numRuns: number, salt: number) => T[];
}): Case[] =>
  deps
    .sample(
      fc
        .dictionary(fc.constantFrom("from", "to", "timeZone", "format"), hostileValue, {
          minKeys: 1,
          maxKeys: 4,
        })
        .map((q) =>
          new URLSearchParams(
            Object.entries(q).flatMap(([k, v]): Array<[string, string]> =>
              Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]],
            ),
          ).toString(),
        )
        .filter((qs) => !ReportQuery.safeParse(parseQuery(qs)).success),
      400,
      900,
    )
    .map((qs) => ({ method: "GET" as const, path: `${PATH}?${qs}`, who: deps.manager }));
