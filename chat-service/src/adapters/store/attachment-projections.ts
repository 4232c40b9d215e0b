import type { RecordedRoomEvent, RoomEventOf } from "@support-chat/contracts";
import { eq } from "drizzle-orm";
import { chatAttachments } from "./attachment-schema.js";
import type { Queryable } from "./db.js";
import { chatRooms } from "./schema.js";

type AttachmentUploaded = RoomEventOf<"AttachmentUploaded"> & {
  metadata: RecordedRoomEvent["metadata"];
};

/** One row per recorded attachment; its time is the event's, so a rebuild writes the same row. */
export const attachmentUploaded = async (db: Queryable, event: AttachmentUploaded) => {
  const { data } = event;
  await db.insert(chatAttachments).values({
    id: data.attachmentId,
    chatRoomId: data.roomId,
    name: data.name,
    contentType: data.contentType,
    size: data.size,
    sha256: data.sha256,
    uploaderId: data.uploaderId,
    uploaderRole: data.uploaderRole,
    createdAt: new Date(event.metadata.occurredAt),
  });
  // Not activity in the room (nothing is said until a message refers to it): only the version.
  await db
    .update(chatRooms)
    .set({ version: event.metadata.streamPosition })
    .where(eq(chatRooms.id, data.roomId));
};
