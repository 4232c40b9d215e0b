import { currentLocale } from "../i18n/language.js";
import { hasText, t } from "../i18n/text.js";

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

const CLIENT_CODES: ReadonlySet<string> = new Set(Object.values(CLIENT_ERRORS));

/**
 * What to tell the person. Our own client-side failures always read in the shown language. The
 * server explains its refusals in English, often more precisely than the code alone ("Sam
 * already has 3 open chats"), so English readers get its words and everyone else the code's
 * translated text (for a validation failure followed by the server's detail, which names the
 * field).
 */
export const errorMessage = (error: unknown): string => {
  if (!(error instanceof Error)) return t("errors.generic");
  const code = error instanceof ChatRequestError ? error.code : null;
  const key = code === null ? null : `errors.${code}`;
  if (code === null || key === null || !hasText(key)) return error.message || t("errors.generic");
  if (CLIENT_CODES.has(code) || !error.message) return t(key);
  if (currentLocale.value === "en") return error.message;
  return code === "VALIDATION_FAILED" ? `${t(key)} (${error.message})` : t(key);
};

export const isTransient = (error: unknown): boolean =>
  error instanceof ChatRequestError && error.transient;
