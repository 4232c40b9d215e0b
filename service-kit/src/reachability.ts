/** A backing service could not be reached at start: says which, where, and how to start it. */
export class UnreachableError extends Error {
  override name = "UnreachableError";
  constructor(
    readonly dependency: string,
    readonly url: string,
    readonly howToStart: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `cannot reach ${dependency} at ${redact(url)} (${reason}). Is it running? Start it with: ${howToStart}`,
    );
  }
}

/** Hides passwords in connection URLs before they reach a log line. */
export const redact = (url: string): string => url.replace(/\/\/([^:/@]+):([^@]+)@/, "//$1:***@");
