import type { RecordedRoomEvent, RoomEventOf } from "@support-chat/contracts";
import { eq } from "drizzle-orm";
import type { Queryable } from "./db.js";
import { chatRooms } from "./schema.js";

type FeedbackEventType = "RoomRated" | "TranscriptRequested" | "TranscriptAtCloseChanged";
type FeedbackEvent = {
  [T in FeedbackEventType]: RoomEventOf<T> & { metadata: RecordedRoomEvent["metadata"] };
}[FeedbackEventType];

/**
 * The rating goes on the room (both sides' views show it); the address of a transcript request
 * or opt-in becomes the room's contact address for offline notices. Times come from the event,
 * so a rebuild writes the same rows.
 */
export const projectFeedback = async (db: Queryable, event: FeedbackEvent): Promise<void> => {
  const version = event.metadata.streamPosition;
  const at = new Date(event.metadata.occurredAt);
  const room = eq(chatRooms.id, event.data.roomId);
  switch (event.type) {
    case "RoomRated": {
      const { score, comment } = event.data;
      await db
        .update(chatRooms)
        .set({ rating: score, ratingComment: comment, ratedAt: at, updatedAt: at, version })
        .where(room);
      return;
    }
    case "TranscriptRequested":
      await db.update(chatRooms).set({ contactEmail: event.data.email, version }).where(room);
      return;
    case "TranscriptAtCloseChanged": {
      // Opting out keeps the address the customer gave: it still says where they can be reached.
      const email = event.data.email;
      await db
        .update(chatRooms)
        .set(email === null ? { version } : { contactEmail: email, version })
        .where(room);
      return;
    }
  }
};
