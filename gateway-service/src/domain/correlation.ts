const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A caller may bring its own correlation id (to follow one click through every service), but
 * it ends up in logs and events, so only short ids of safe characters are kept.
 */
export const correlationIdOf = (header: unknown, mint: () => string): string =>
  typeof header === "string" && SAFE.test(header) ? header : mint();
