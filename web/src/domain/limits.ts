/**
 * The contracts' LIMITS.messageMaxLength, repeated here so the widget bundle does not pull in
 * the contracts' schemas; a unit test keeps the two equal.
 */
export const MESSAGE_MAX_LENGTH = 2000;

/** The same rule as the server's normalizeMessageText, to refuse before sending. */
export const checkMessageText = (raw: string): { text: string } | { error: string } => {
  const text = raw.trim();
  if (text.length === 0) return { error: "Write a message first." };
  const length = [...text].length;
  if (length > MESSAGE_MAX_LENGTH) {
    return { error: `That message is ${length} characters; the limit is ${MESSAGE_MAX_LENGTH}.` };
  }
  return { text };
};
