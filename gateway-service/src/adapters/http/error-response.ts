import { HTTP_STATUS_OF, isDomainError, type ErrorBody } from "@support-chat/contracts";

export type ErrorResponse = { status: number; error: ErrorBody; unexpected: boolean };

/** body-parser and the router mark what they throw with a `type` and a 4xx `status`. */
type HttpLibraryError = { type?: unknown; status?: unknown; expose?: unknown; limit?: unknown };

const asHttpLibraryError = (e: unknown): HttpLibraryError | undefined =>
  typeof e === "object" && e !== null ? (e as HttpLibraryError) : undefined;

/**
 * What a client sees for any failure: the status from the error code, and a body that says
 * what was wrong. Only failures we did not foresee are `unexpected` (logged with their stack,
 * shown as a bare INTERNAL so nothing internal leaks).
 */
export const errorResponseOf = (e: unknown): ErrorResponse => {
  if (isDomainError(e)) return known(e.toBody());
  const lib = asHttpLibraryError(e);
  if (lib?.type === "entity.parse.failed") {
    return known({ code: "VALIDATION_FAILED", message: "the request body is not valid JSON" });
  }
  if (lib?.type === "entity.too.large") {
    const limit = typeof lib.limit === "number" ? ` of ${lib.limit} bytes` : "";
    return known({
      code: "PAYLOAD_TOO_LARGE",
      message: `the request body is larger than the limit${limit}`,
    });
  }
  // The router throws a URIError marked 400 (but not `expose`) for broken percent-encoding.
  if (e instanceof URIError && lib?.status === 400) {
    return known({
      code: "VALIDATION_FAILED",
      message: "the request path is not valid URL encoding",
    });
  }
  if (typeof lib?.status === "number" && lib.status >= 400 && lib.status < 500 && lib.expose) {
    const message = e instanceof Error ? e.message : "the request is malformed";
    return known({ code: "VALIDATION_FAILED", message });
  }
  return { status: 500, error: { code: "INTERNAL", message: "internal error" }, unexpected: true };
};

const known = (error: ErrorBody): ErrorResponse => ({
  status: HTTP_STATUS_OF[error.code],
  error,
  unexpected: false,
});
