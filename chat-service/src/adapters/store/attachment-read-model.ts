import { and, eq } from "drizzle-orm";
import { chatAttachments, type ChatAttachmentRow } from "./attachment-schema.js";
import type { Queryable } from "./db.js";

/** An attachment only as part of the room it was recorded in: another room's id finds nothing. */
export const attachmentOfRoom = async (
  db: Queryable,
  roomId: string,
  attachmentId: string,
): Promise<ChatAttachmentRow | undefined> => {
  const [row] = await db
    .select()
    .from(chatAttachments)
    .where(and(eq(chatAttachments.id, attachmentId), eq(chatAttachments.chatRoomId, roomId)));
  return row;
};
