import { SEARCH_LIMITS, type RoomStatus, type SearchMatchKind } from "@support-chat/contracts";
import { asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "./db.js";
import { roomNotes, type RoomNoteRow } from "./notes-search-schema.js";

/** Marks ts_headline puts around matched words; control characters, so no markup is involved. */
export const MATCH_START = "\u0002";
export const MATCH_END = "\u0003";
const HEADLINE_OPTIONS =
  `StartSel=${MATCH_START}, StopSel=${MATCH_END}, ` +
  `MaxWords=24, MinWords=8, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

export type SearchRow = {
  id: string;
  roomId: string;
  kind: SearchMatchKind;
  seq: number | null;
  occurredAt: Date;
  customerId: string;
  customerName: string;
  roomStatus: RoomStatus;
  labels: string[];
  /** ts_headline's excerpt, matches between MATCH_START and MATCH_END. */
  headline: string;
};

export type SearchRequest = { text: string; label?: string; limit?: number; offset?: number };

/** Notes and search read from their own tables; access rules live in the query handlers. */
export const notesSearchReadModel = (db: Queryable) => {
  const note = async (noteId: string): Promise<RoomNoteRow | undefined> => {
    const [row] = await db.select().from(roomNotes).where(eq(roomNotes.id, noteId));
    return row;
  };

  /** A room's notes in the order they were written. */
  const notes = (roomId: string): Promise<RoomNoteRow[]> =>
    db
      .select()
      .from(roomNotes)
      .where(eq(roomNotes.roomId, roomId))
      .orderBy(asc(roomNotes.createdAt), asc(roomNotes.afterSeq), asc(roomNotes.id));

  /**
   * Full-text search over messages, notes and rooms (customer name and labels), best match
   * first, then the most recent. `websearch_to_tsquery` takes what people type ("quoted
   * phrases", -excluded, or) and never fails on odd input. The headline is computed for the
   * page only. One row more than asked tells whether there is another page.
   */
  const search = async (
    request: SearchRequest,
  ): Promise<{ rows: SearchRow[]; hasMore: boolean }> => {
    const limit = request.limit ?? SEARCH_LIMITS.pageDefault;
    const label = request.label ?? null;
    const rows = await db.execute<
      Omit<SearchRow, "occurredAt"> & { occurredAt: string | Date }
    >(sql`
      with query as (select websearch_to_tsquery('simple', ${request.text}) as q),
      hits as (
        select d.id, d.room_id, d.kind, d.seq, d.body, d.occurred_at,
               ts_rank(d.document, query.q) as rank
        from search_documents d
        cross join query
        join chat_rooms r on r.id = d.room_id
        where d.document @@ query.q
          and (${label}::text is null or r.labels @> array[${label}::text])
        order by rank desc, d.occurred_at desc, d.id
        limit ${limit + 1} offset ${request.offset ?? 0}
      )
      select h.id, h.room_id as "roomId", h.kind, h.seq, h.occurred_at as "occurredAt",
             r.user_id as "customerId", r.user_name as "customerName",
             r.status as "roomStatus", r.labels,
             ts_headline('simple', h.body, query.q, ${HEADLINE_OPTIONS}) as headline
      from hits h
      cross join query
      join chat_rooms r on r.id = h.room_id
      order by h.rank desc, h.occurred_at desc, h.id`);
    const all = [...rows].map((r) => ({ ...r, occurredAt: new Date(r.occurredAt) }));
    return { rows: all.slice(0, limit), hasMore: all.length > limit };
  };

  return { note, notes, search };
};
