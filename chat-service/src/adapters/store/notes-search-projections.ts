import type { RecordedRoomEvent, RoomEventOf } from "@support-chat/contracts";
import { eq, sql } from "drizzle-orm";
import type { Queryable } from "./db.js";
import { roomNotes, searchDocuments } from "./notes-search-schema.js";
import { chatRooms } from "./schema.js";

type Recorded<T extends RecordedRoomEvent["type"]> = RoomEventOf<T> & {
  metadata: RecordedRoomEvent["metadata"];
};

// Times come from the events, never from now(), so a rebuild writes the same rows.
const timeOf = (event: RecordedRoomEvent): Date => new Date(event.metadata.occurredAt);

/**
 * A room's search document: its customer's name (and, later, its labels). Called for every
 * event. Messages get theirs from a trigger on `chat_messages` (drizzle/0001_notes_labels_search.sql),
 * so every path that stores a message indexes it.
 */
export const indexForSearch = async (db: Queryable, event: RecordedRoomEvent): Promise<void> => {
  if (event.type === "RoomOpened") {
    const { roomId, customerName } = event.data;
    await db
      .insert(searchDocuments)
      .values({ id: roomId, roomId, kind: "room", body: customerName, occurredAt: timeOf(event) });
  }
};

const noteAdded = async (db: Queryable, event: Recorded<"NoteAdded">) => {
  const { data } = event;
  const at = timeOf(event);
  await db.insert(roomNotes).values({
    id: data.noteId,
    roomId: data.roomId,
    afterSeq: data.afterSeq,
    authorId: data.authorId,
    authorName: data.authorName,
    authorRole: data.authorRole,
    text: data.text,
    clientNoteId: data.clientNoteId,
    createdAt: at,
  });
  await db.insert(searchDocuments).values({
    id: data.noteId,
    roomId: data.roomId,
    kind: "note",
    seq: data.afterSeq,
    body: data.text,
    occurredAt: at,
  });
};

const labelChanged = async (db: Queryable, event: Recorded<"LabelAdded" | "LabelRemoved">) => {
  const { roomId, label } = event.data;
  const labels =
    event.type === "LabelAdded"
      ? sql`array_append(${chatRooms.labels}, ${label}::text)`
      : sql`array_remove(${chatRooms.labels}, ${label}::text)`;
  // Labels are support staff's, so the room's `updated_at` (which customers see) stays.
  await db
    .update(chatRooms)
    .set({ labels, version: event.metadata.streamPosition })
    .where(eq(chatRooms.id, roomId));
  await db
    .update(searchDocuments)
    .set({
      body: sql`(select concat_ws(' ', ${chatRooms.userName}, array_to_string(${chatRooms.labels}, ' '))
        from ${chatRooms} where ${chatRooms.id} = ${roomId})`,
    })
    .where(eq(searchDocuments.id, roomId));
};

/** Projects the events of notes and labels, inside the caller's transaction. */
export const projectNoteOrLabel = async (
  db: Queryable,
  event: Recorded<"NoteAdded" | "LabelAdded" | "LabelRemoved">,
): Promise<void> => {
  if (event.type === "NoteAdded") return noteAdded(db, event);
  return labelChanged(db, event);
};
