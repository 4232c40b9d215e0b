import type { RoomNote, SearchHit } from "@support-chat/contracts";
import { snippetOf } from "../../domain/snippet.js";
import type { RoomNoteRow } from "./notes-search-schema.js";
import { MATCH_END, MATCH_START, type SearchRow } from "./notes-search-read-model.js";

export const noteView = (row: RoomNoteRow): RoomNote => ({
  id: row.id,
  roomId: row.roomId,
  authorId: row.authorId,
  authorName: row.authorName,
  authorRole: row.authorRole,
  text: row.text,
  afterSeq: row.afterSeq,
  clientNoteId: row.clientNoteId,
  createdAt: row.createdAt.toISOString(),
});

/** A search row as the console shows it: where to open the room, and a plain-text excerpt. */
export const searchHitView = (row: SearchRow): SearchHit => ({
  roomId: row.roomId,
  customerId: row.customerId,
  customerName: row.customerName,
  roomStatus: row.roomStatus,
  labels: row.labels,
  matchedIn: row.kind,
  // A note written before any message has nothing to open at but the room itself.
  seq: row.seq !== null && row.seq > 0 ? row.seq : null,
  noteId: row.kind === "note" ? row.id : null,
  ...snippetOf(row.headline, MATCH_START, MATCH_END),
  occurredAt: row.occurredAt.toISOString(),
});
