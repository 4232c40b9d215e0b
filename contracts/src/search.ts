import { z } from "zod";
import { RoomLabel } from "./labels.js";
import { DisplayName, IsoDateTime, RoomStatus, Seq, UserId, Uuid } from "./primitives.js";

/** Bounds of one search request. */
export const SEARCH_LIMITS = {
  /** Characters in the search text. */
  queryMaxLength: 200,
  pageDefault: 20,
  pageMax: 50,
  /** How deep paging may go; past it, a narrower search is the better tool. */
  offsetMax: 1000,
} as const;

const intFromQuery = z.coerce.number().int();

/**
 * `GET /chat/support/search?q=<text>&label=<label>&limit=<n>&offset=<n>`. `q` uses web search
 * syntax ("quoted phrase", -excluded, or); `label` keeps only rooms carrying that label.
 */
export const SearchQuery = z.object({
  q: z.string().trim().min(1, "type something to search for").max(SEARCH_LIMITS.queryMaxLength),
  label: z.string().max(200).optional(),
  limit: intFromQuery.min(1).max(SEARCH_LIMITS.pageMax).optional(),
  offset: intFromQuery.min(0).max(SEARCH_LIMITS.offsetMax).optional(),
});

/** NATS: `searchConversations` (support staff only). */
export const SearchConversations = z.object({
  text: z.string().trim().min(1).max(SEARCH_LIMITS.queryMaxLength),
  label: RoomLabel.optional(),
  limit: z.number().int().min(1).max(SEARCH_LIMITS.pageMax).optional(),
  offset: z.number().int().min(0).max(SEARCH_LIMITS.offsetMax).optional(),
});

/** Where the words were found: a message, a private note, or the room's customer name and labels. */
export const SearchMatchKind = z.enum(["message", "note", "room"]);
export type SearchMatchKind = z.infer<typeof SearchMatchKind>;

/** A stretch of `snippet` (UTF-16 offsets, end exclusive) that matched the search. */
export const SnippetHighlight = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});

export const SearchHit = z.object({
  roomId: Uuid,
  customerId: UserId,
  customerName: DisplayName,
  roomStatus: RoomStatus,
  labels: z.array(RoomLabel),
  matchedIn: SearchMatchKind,
  /** The message to open the conversation at; for a note, the message it follows. */
  seq: Seq.min(1).nullable(),
  noteId: Uuid.nullable(),
  /** Plain text around the match; show it as text, never as markup. */
  snippet: z.string(),
  highlights: z.array(SnippetHighlight),
  occurredAt: IsoDateTime,
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResults = z.object({
  results: z.array(SearchHit),
  /** More results exist past this page. */
  hasMore: z.boolean(),
});
export type SearchResults = z.infer<typeof SearchResults>;
