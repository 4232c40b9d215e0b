import { socketRooms, type RecordedRoomEvent, type RoomViews } from "@support-chat/contracts";
import { push, type Push } from "./pushes.js";

/**
 * Events that only support staff may learn of: private notes and labels. Their pushes go to
 * the `agents` socket room alone (customers' sockets are never in it), and the customer gets
 * no room update for them either, so not even the moment of a note reaches the customer.
 * Undefined for every other event.
 */
export const supportOnlyPushes = (
  event: RecordedRoomEvent,
  views: RoomViews,
): Push[] | undefined => {
  switch (event.type) {
    case "NoteAdded": {
      const { data, metadata } = event;
      return [
        push([socketRooms.agents], "noteAdded", {
          id: data.noteId,
          roomId: data.roomId,
          authorId: data.authorId,
          authorName: data.authorName,
          authorRole: data.authorRole,
          text: data.text,
          afterSeq: data.afterSeq,
          clientNoteId: data.clientNoteId,
          createdAt: metadata.occurredAt,
        }),
      ];
    }
    // Every agent's list filters by label, so every agent gets the room with its labels.
    case "LabelAdded":
    case "LabelRemoved":
      return [push([socketRooms.agents], "roomUpdated", { room: views.support })];
    default:
      return undefined;
  }
};
