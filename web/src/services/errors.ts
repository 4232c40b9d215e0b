/**
 * A refusal or failure as the UI sees it: the server's `{code, message}`, or one of the
 * client-side codes below. `transient` failures are worth retrying by themselves once the
 * connection is back; the others need the person to change something.
 */
export class ChatRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly transient = false,
  ) {
    super(message);
    this.name = "ChatRequestError";
  }
}

export const CLIENT_ERRORS = {
  disconnected: "DISCONNECTED",
  timeout: "TIMEOUT",
  network: "NETWORK",
} as const;

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : "Something went wrong";

export const isTransient = (error: unknown): boolean =>
  error instanceof ChatRequestError && error.transient;
