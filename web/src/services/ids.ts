/**
 * The idempotency key of one message, chosen once when the person presses Send and reused by
 * every retry, so the server stores it once however often it is sent.
 */
export const newClientMessageId = (): string => {
  const random =
    typeof crypto !== "undefined" && "randomUUID" in crypto
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  return `web-${random}`;
};
