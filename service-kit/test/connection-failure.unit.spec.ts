import { describe, expect, it } from "vitest";
import { isConnectionFailure } from "@support-chat/service-kit";

describe("isConnectionFailure", () => {
  it.each([
    ["the Postgres driver losing its connection", { code: "CONNECTION_CLOSED" }],
    [
      "a refused socket",
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    ],
    ["Postgres shutting down (57P01)", { code: "57P01" }],
    ["Postgres not accepting connections yet (57P03)", { code: "57P03" }],
    ["a connection exception (08006)", { code: "08006" }],
    [
      "a query error wrapping a lost connection",
      new Error("query failed", { cause: { code: "CONNECTION_ENDED" } }),
    ],
  ])("recognizes %s", (_what, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ["a unique violation", { code: "23505" }],
    ["a plain error", new Error("boom")],
    ["nothing", undefined],
    ["a string", "ECONNREFUSED"],
  ])("does not mistake %s for one", (_what, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});
