import type { RoomNote, SearchHit } from "@support-chat/contracts";
import type { TimelineItem } from "./timeline.js";

/** Merges notes by id, oldest first; a note seen twice (REST and push) is kept once. */
export const mergeNotes = (
  known: readonly RoomNote[],
  incoming: readonly RoomNote[],
): RoomNote[] => {
  const byId = new Map(known.map((n) => [n.id, n]));
  for (const note of incoming) byId.set(note.id, note);
  return [...byId.values()].sort(
    (a, b) => a.afterSeq - b.afterSeq || Date.parse(a.createdAt) - Date.parse(b.createdAt),
  );
};

/**
 * The console's timeline: each note right after the message it followed (`afterSeq`), before
 * anything later; notes past the last message held come after it, still before unsent
 * messages. Notes before the first message held wait until older messages are loaded.
 */
export const withNotes = (
  items: readonly TimelineItem[],
  notes: readonly RoomNote[],
  hasOlder: boolean,
): TimelineItem[] => {
  if (notes.length === 0) return [...items];
  const seqOf = (item: TimelineItem) => (item.kind === "message" ? item.message.seq : null);
  const firstHeld = items.map(seqOf).find((s) => s !== null) ?? null;
  const pending = notes.filter((n) => !hasOlder || firstHeld === null || n.afterSeq >= firstHeld);
  const out: TimelineItem[] = [];
  let next = 0;
  const notesUpTo = (seq: number) => {
    while (next < pending.length && pending[next]!.afterSeq <= seq) {
      const note = pending[next++]!;
      out.push({ kind: "note", key: `note-${note.id}`, note });
    }
  };
  for (const item of items) {
    const seq = seqOf(item);
    if (seq !== null) notesUpTo(seq - 1);
    if (item.kind === "outgoing") notesUpTo(Infinity);
    out.push(item);
  }
  notesUpTo(Infinity);
  return out;
};

/** Where a search result opens its conversation: the message, or a note's place after it. */
export const focusOf = (hit: SearchHit): { seq: number | null; noteId: string | null } => ({
  seq: hit.seq,
  noteId: hit.noteId,
});

/** A snippet as pieces of text, each marked or not, to be shown as text (never as markup). */
export const snippetPieces = (
  snippet: string,
  highlights: readonly { start: number; end: number }[],
): { text: string; match: boolean }[] => {
  const pieces: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
    if (start < at || end > snippet.length || end <= start) continue;
    if (start > at) pieces.push({ text: snippet.slice(at, start), match: false });
    pieces.push({ text: snippet.slice(start, end), match: true });
    at = end;
  }
  if (at < snippet.length) pieces.push({ text: snippet.slice(at), match: false });
  return pieces;
};
