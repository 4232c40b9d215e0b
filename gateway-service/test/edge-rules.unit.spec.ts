import { describe, expect, it } from "vitest";
import { correlationIdOf } from "../src/domain/correlation.js";
import { rateLimitedError } from "../src/domain/rate-limit.js";

describe("correlation ids", () => {
  const mint = () => "minted";

  it("keeps a caller's safe id", () => {
    expect(correlationIdOf("req-42:abc.DEF_9", mint)).toBe("req-42:abc.DEF_9");
  });

  it.each([undefined, "", "has space", "semi;colon", "x".repeat(129), "new\nline"])(
    "replaces %j with a new one",
    (header) => {
      expect(correlationIdOf(header, mint)).toBe("minted");
    },
  );
});

describe("rate-limit refusals", () => {
  it("say what was limited and when to retry", () => {
    const error = rateLimitedError("messages", 10, 420);
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.message).toBe("too many messages (limit 10 per second); retry after 0.5s");
  });

  it("never tell a client to retry after zero seconds", () => {
    expect(rateLimitedError("typing", 5, 0).message).toContain("retry after 0.1s");
  });
});
