import { DomainError } from "./errors.js";
import { isStorableText, NOT_STORABLE } from "./primitives.js";

/**
 * The one rule for message text, applied at the gateway (fail fast) and again in the room
 * decider (nothing else can write a message): trimmed, not empty, at most `maxLength`
 * characters (code points, so an emoji counts once). Text is stored and sent as plain text.
 */
export const normalizeMessageText = (raw: string, maxLength: number): string => {
  const text = raw.trim();
  if (text.length === 0) throw new DomainError("MESSAGE_EMPTY", "message is empty");
  if (!isStorableText(text)) throw new DomainError("VALIDATION_FAILED", `message ${NOT_STORABLE}`);
  const length = [...text].length;
  if (length > maxLength) {
    throw new DomainError(
      "MESSAGE_TOO_LONG",
      `message is ${length} characters; the maximum is ${maxLength}`,
    );
  }
  return text;
};
