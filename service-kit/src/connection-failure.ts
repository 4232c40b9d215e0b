/**
 * Error codes that mean a backing service (Postgres, Redis, a socket) could not be reached or
 * dropped the connection: the request may well succeed when retried, so callers get
 * UNAVAILABLE rather than INTERNAL. Postgres driver codes, Node socket codes, and SQLSTATE
 * classes 08 (connection exception) and 57P (operator intervention: shutdown, restart).
 */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);

const isConnectionCode = (code: unknown): boolean =>
  typeof code === "string" &&
  (CONNECTION_CODES.has(code) || code.startsWith("08") || code.startsWith("57P"));

/** True when the error, or any error it wraps (`cause`), is a lost or refused connection. */
export const isConnectionFailure = (e: unknown): boolean => {
  for (let current = e, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return false;
    if (isConnectionCode((current as { code?: unknown }).code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};
