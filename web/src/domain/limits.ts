import { t } from "../i18n/text.js";

/**
 * The contracts' LIMITS.messageMaxLength, repeated here so the widget bundle does not pull in
 * the contracts' schemas; a unit test keeps the two equal.
 */
export const MESSAGE_MAX_LENGTH = 2000;

/** The same rule as the server's normalizeMessageText, to refuse before sending. */
export const checkMessageText = (raw: string): { text: string } | { error: string } => {
  const text = raw.trim();
  if (text.length === 0) return { error: t("chat.empty") };
  const length = [...text].length;
  if (length > MESSAGE_MAX_LENGTH) {
    return { error: t("chat.tooLong", { length, max: MESSAGE_MAX_LENGTH }) };
  }
  return { text };
};
