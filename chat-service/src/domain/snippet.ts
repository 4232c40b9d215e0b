/** A stretch of text that matched a search: UTF-16 offsets into the snippet, end exclusive. */
export type Highlight = Readonly<{ start: number; end: number }>;

/**
 * Turns an excerpt whose matches sit between `open` and `close` marks into plain text and the
 * offsets of the matches, so clients show it as text and highlight it without any markup.
 * A stray mark (text may hold the same character) only ends or starts a highlight; the text
 * itself is always kept whole.
 */
export const snippetOf = (
  marked: string,
  open: string,
  close: string,
): { snippet: string; highlights: Highlight[] } => {
  let snippet = "";
  let start: number | null = null;
  const highlights: Highlight[] = [];
  for (const ch of marked) {
    if (ch === open) {
      start ??= snippet.length;
    } else if (ch === close) {
      if (start !== null && snippet.length > start) {
        highlights.push({ start, end: snippet.length });
      }
      start = null;
    } else {
      snippet += ch;
    }
  }
  if (start !== null && snippet.length > start) highlights.push({ start, end: snippet.length });
  return { snippet, highlights };
};
