import { describe, expect, it } from "vitest";
import { DomainError, ErrorCode, HTTP_STATUS_OF } from "@support-chat/contracts";
import { errorResponseOf } from "../src/adapters/http/error-response.js";

describe("error → HTTP response", () => {
  it.each(ErrorCode.options)("a %s refusal gets its status and keeps code and message", (code) => {
    const response = errorResponseOf(new DomainError(code, `because ${code}`));
    expect(response).toEqual({
      status: HTTP_STATUS_OF[code],
      error: { code, message: `because ${code}` },
      unexpected: false,
    });
  });

  it("maps the statuses clients rely on", () => {
    const statusOf = (code: ErrorCode) => errorResponseOf(new DomainError(code, "x")).status;
    expect(statusOf("VALIDATION_FAILED")).toBe(400);
    expect(statusOf("UNAUTHENTICATED")).toBe(401);
    expect(statusOf("TOKEN_EXPIRED")).toBe(401);
    expect(statusOf("FORBIDDEN")).toBe(403);
    expect(statusOf("IDENTITY_MISMATCH")).toBe(403);
    expect(statusOf("NOT_FOUND")).toBe(404);
    expect(statusOf("ROOM_CLOSED")).toBe(409);
    expect(statusOf("PAYLOAD_TOO_LARGE")).toBe(413);
    expect(statusOf("RATE_LIMITED")).toBe(429);
    expect(statusOf("UNAVAILABLE")).toBe(503);
  });

  it("turns a body that is not JSON into VALIDATION_FAILED", () => {
    const parseError = Object.assign(new SyntaxError("Unexpected token"), {
      type: "entity.parse.failed",
      status: 400,
      expose: true,
    });
    expect(errorResponseOf(parseError)).toMatchObject({
      status: 400,
      error: { code: "VALIDATION_FAILED" },
      unexpected: false,
    });
  });

  it("turns a body over the limit into 413 PAYLOAD_TOO_LARGE", () => {
    const tooLarge = Object.assign(new Error("request entity too large"), {
      type: "entity.too.large",
      status: 413,
      expose: true,
      limit: 65536,
    });
    expect(errorResponseOf(tooLarge)).toMatchObject({
      status: 413,
      error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining("65536") },
    });
  });

  it("turns other client errors of the HTTP libraries into VALIDATION_FAILED", () => {
    const unsupported = Object.assign(new Error('unsupported charset "LATIN-9"'), {
      type: "charset.unsupported",
      status: 415,
      expose: true,
    });
    expect(errorResponseOf(unsupported)).toMatchObject({
      status: 400,
      error: { code: "VALIDATION_FAILED", message: 'unsupported charset "LATIN-9"' },
    });
  });

  it("turns a path with broken percent-encoding into VALIDATION_FAILED, not a 500", () => {
    const routerError = Object.assign(new URIError("Failed to decode param '%zz'"), {
      status: 400,
      statusCode: 400,
    });
    expect(errorResponseOf(routerError)).toMatchObject({
      status: 400,
      error: { code: "VALIDATION_FAILED" },
      unexpected: false,
    });
  });

  it("hides anything unforeseen behind a bare 500 INTERNAL and flags it for the log", () => {
    const response = errorResponseOf(new TypeError("cannot read properties of undefined"));
    expect(response).toEqual({
      status: 500,
      error: { code: "INTERNAL", message: "internal error" },
      unexpected: true,
    });
  });
});
