import type { CannedResponse } from "@support-chat/contracts";
import { t } from "../i18n/text.js";

/**
 * The contracts' CANNED_LIMITS, repeated so the console does not pull in the contracts'
 * schemas; a unit test keeps the two equal.
 */
export const CANNED_TITLE_MAX = 80;
export const CANNED_SHORTCUT_MAX = 32;
export const CANNED_TEXT_MAX = 2000;

/** Most suggestions shown while typing `/…`; the picker button lists them all. */
export const SUGGESTIONS_MAX = 8;

/** The `/word` being typed right before the caret: where it starts and ends, and the word. */
export interface SlashQuery {
  start: number;
  end: number;
  query: string;
}

/**
 * The shortcut being typed: a `/` at the start or after white space, then shortcut characters
 * up to the caret. `and/or` or a URL is not one.
 */
export const slashQueryAt = (text: string, caret: number): SlashQuery | null => {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([A-Za-z0-9_-]*)$/.exec(before);
  if (!match) return null;
  const query = match[2] ?? "";
  return { start: caret - query.length - 1, end: caret, query: query.toLowerCase() };
};

/**
 * Canned responses for a typed query, best first: shortcuts that start with it, then
 * shortcuts that contain it, then titles that contain it; each group by shortcut.
 */
export const matchCanned = (
  responses: readonly CannedResponse[],
  query: string,
): CannedResponse[] => {
  const q = query.toLowerCase();
  const rank = (r: CannedResponse): number => {
    if (r.shortcut.startsWith(q)) return 0;
    if (r.shortcut.includes(q)) return 1;
    if (r.title.toLowerCase().includes(q)) return 2;
    return 3;
  };
  return responses
    .map((r) => ({ r, rank: rank(r) }))
    .filter((x) => x.rank < 3)
    .sort((a, b) => a.rank - b.rank || a.r.shortcut.localeCompare(b.r.shortcut))
    .map((x) => x.r);
};

/** The text with `[start, end)` replaced by `insert`, and where the caret goes after it. */
export const insertAt = (
  text: string,
  start: number,
  end: number,
  insert: string,
): { text: string; caret: number } => ({
  text: text.slice(0, start) + insert + text.slice(end),
  caret: start + insert.length,
});

/** The server's spelling of a shortcut: no leading `/`, trimmed, lower case. */
export const normalizeShortcut = (raw: string): string =>
  raw.trim().replace(/^\//, "").toLowerCase();

export interface CannedDraft {
  title: string;
  shortcut: string;
  text: string;
}

export type CannedDraftErrors = Partial<Record<keyof CannedDraft, string>>;

const length = (text: string) => [...text].length;

/**
 * The server's rules, checked before saving so people see what is wrong next to the field;
 * the server checks again (and is the one that knows whether a shortcut is taken).
 */
export const checkCannedDraft = (draft: CannedDraft): CannedDraftErrors => {
  const errors: CannedDraftErrors = {};
  const title = draft.title.trim();
  const shortcut = normalizeShortcut(draft.shortcut);
  const text = draft.text.trim();
  if (!title) errors.title = t("canned.rules.titleMissing");
  else if (length(title) > CANNED_TITLE_MAX) {
    errors.title = t("canned.rules.atMost", { max: CANNED_TITLE_MAX });
  }
  if (!shortcut) errors.shortcut = t("canned.rules.shortcutMissing");
  else if (!/^[a-z0-9_-]+$/.test(shortcut)) {
    errors.shortcut = t("canned.rules.shortcutChars");
  } else if (shortcut.length > CANNED_SHORTCUT_MAX) {
    errors.shortcut = t("canned.rules.atMost", { max: CANNED_SHORTCUT_MAX });
  }
  if (!text) errors.text = t("canned.rules.textMissing");
  else if (length(text) > CANNED_TEXT_MAX) {
    errors.text = t("canned.rules.textTooLong", { length: length(text), max: CANNED_TEXT_MAX });
  }
  return errors;
};
