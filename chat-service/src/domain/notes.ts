import {
  DomainError,
  isSupportRole,
  NOTE_LIMITS,
  normalizeNoteText,
  type RoomEventBody,
  type RoomEventOf,
} from "@support-chat/contracts";
import type { CommandMetadata } from "./decide.js";
import { messageKey, roomExists, type OpenRoom, type RoomState } from "./room.js";

/**
 * Private notes: support staff write them about a room for each other. A note is an event of
 * the room's stream like any other; what keeps it from customers is where it is projected and
 * pushed, and that only support staff may write one.
 */
export type AddNoteCommand = Readonly<{
  type: "AddNote";
  data: Readonly<{ roomId: string; noteId: string; clientNoteId: string; text: string }>;
  metadata: CommandMetadata;
}>;

export const addNote = (command: AddNoteCommand, state: RoomState): RoomEventBody[] => {
  const { actor } = command.metadata;
  const { roomId, noteId, clientNoteId } = command.data;
  if (actor.role === "system" || !isSupportRole(actor.role)) {
    throw new DomainError("FORBIDDEN", "only support staff may write private notes");
  }
  if (!roomExists(state)) throw new DomainError("NOT_FOUND", `room ${roomId} does not exist`);
  // A retry of a note already stored is answered with that note, not a second one.
  if (state.notes.has(messageKey(actor.id, clientNoteId))) return [];
  if (state.notes.size >= NOTE_LIMITS.maxPerRoom) {
    throw new DomainError(
      "VALIDATION_FAILED",
      `room ${roomId} already has ${NOTE_LIMITS.maxPerRoom} notes, the most a room may hold`,
    );
  }
  const text = normalizeNoteText(command.data.text);
  const added: RoomEventOf<"NoteAdded"> = {
    type: "NoteAdded",
    data: {
      roomId,
      noteId,
      clientNoteId,
      authorId: actor.id,
      authorName: actor.name,
      authorRole: actor.role,
      text,
      afterSeq: state.lastSeq,
    },
  };
  return [added];
};

export const noteAdded = (room: OpenRoom, { data }: RoomEventOf<"NoteAdded">): OpenRoom => {
  const notes = new Map(room.notes);
  notes.set(messageKey(data.authorId, data.clientNoteId), data.noteId);
  return { ...room, notes };
};
