import { z } from "zod";
import { DomainError } from "./errors.js";
import {
  ClientMessageId,
  DisplayName,
  IsoDateTime,
  isStorableText,
  NOT_STORABLE,
  Role,
  Seq,
  UserId,
  Uuid,
} from "./primitives.js";

/**
 * Private notes: what support staff write about a conversation for each other. They live in
 * the room's event stream but in a projection of their own, and only support routes and the
 * `agents` socket room ever carry them; the customer's routes cannot reach them.
 */

export const NOTE_LIMITS = {
  /** Characters (code points) in one note after trimming. */
  maxLength: 4000,
  /** A hard cap on what may travel at all. */
  hardCap: 20_000,
  /** Notes one room may hold; a conversation with more is better served by a ticket. */
  maxPerRoom: 500,
} as const;

/** Trimmed, not empty, at most `maxLength` characters; kept and sent as plain text. */
export const normalizeNoteText = (raw: string, maxLength: number = NOTE_LIMITS.maxLength) => {
  const text = raw.trim();
  if (text.length === 0) throw new DomainError("MESSAGE_EMPTY", "the note is empty");
  if (!isStorableText(text)) throw new DomainError("VALIDATION_FAILED", `the note ${NOT_STORABLE}`);
  const length = [...text].length;
  if (length > maxLength) {
    throw new DomainError(
      "MESSAGE_TOO_LONG",
      `the note is ${length} characters; the maximum is ${maxLength}`,
    );
  }
  return text;
};

/** A note as support staff see it. `afterSeq`: the room's last message when it was written. */
export const RoomNote = z.object({
  id: Uuid,
  roomId: Uuid,
  authorId: UserId,
  authorName: DisplayName,
  authorRole: Role,
  text: z.string(),
  afterSeq: Seq,
  clientNoteId: ClientMessageId,
  createdAt: IsoDateTime,
});
export type RoomNote = z.infer<typeof RoomNote>;

/** `POST /chat/support/room/:id/notes`; a retry with the same clientNoteId is the same note. */
export const AddNoteBody = z.object({
  text: z.string().max(NOTE_LIMITS.hardCap),
  clientNoteId: ClientMessageId,
});

/** NATS: `addNote` and `listNotes`. */
export const AddNote = AddNoteBody.extend({ roomId: Uuid });
export const ListNotes = z.object({ roomId: Uuid });
export const NoteList = z.object({ notes: z.array(RoomNote) });
export type NoteList = z.infer<typeof NoteList>;

export const NoteAdded = z.object({
  type: z.literal("NoteAdded"),
  data: z.object({
    roomId: Uuid,
    noteId: Uuid,
    clientNoteId: ClientMessageId,
    authorId: UserId,
    authorName: DisplayName,
    authorRole: Role,
    text: z.string(),
    afterSeq: Seq,
  }),
});

/** Socket push to the `agents` room only: a note was added to a room. */
export const NoteAddedPush = RoomNote;
