import { z } from "zod";

/**
 * Every refusal anywhere in the system carries one of these codes, on socket acks, REST bodies
 * and NATS replies alike, so a client can react to the code and show the message.
 */
export const ErrorCode = z.enum([
  "VALIDATION_FAILED",
  "MESSAGE_EMPTY",
  "MESSAGE_TOO_LONG",
  "UNAUTHENTICATED",
  "TOKEN_EXPIRED",
  "FORBIDDEN",
  "IDENTITY_MISMATCH",
  "NOT_FOUND",
  "ROOM_CLOSED",
  "ALREADY_ASSIGNED",
  "NOT_ASSIGNED",
  "AGENT_AT_CAPACITY",
  "AGENT_NOT_AVAILABLE",
  "CONFLICT",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "UNAVAILABLE",
  "INTERNAL",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MESSAGE_EMPTY: 400,
  MESSAGE_TOO_LONG: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  IDENTITY_MISMATCH: 403,
  NOT_FOUND: 404,
  ROOM_CLOSED: 409,
  ALREADY_ASSIGNED: 409,
  NOT_ASSIGNED: 409,
  AGENT_AT_CAPACITY: 409,
  AGENT_NOT_AVAILABLE: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** A refusal that crosses a boundary as `{code, message}`; thrown inside a process, serialized at its edge. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "DomainError";
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
