import type { Transcript } from "@support-chat/contracts";
import { and, asc, eq, lte } from "drizzle-orm";
import type { Queryable } from "./db.js";
import { chatMessages, type ChatRoomRow } from "./schema.js";

/**
 * A room's transcript: its messages from `chat_messages` and nothing else. Private notes live
 * in a table of their own (`room_notes`) that this never reads, so no note can reach an e-mail.
 */
export const feedbackReadModel = (db: Queryable) => ({
  transcript: async (
    room: ChatRoomRow,
    upToSeq: number | undefined,
    max: number,
  ): Promise<Transcript> => {
    const rows = await db
      .select()
      .from(chatMessages)
      .where(
        and(
          eq(chatMessages.chatRoomId, room.id),
          upToSeq === undefined ? undefined : lte(chatMessages.seq, upToSeq),
        ),
      )
      .orderBy(asc(chatMessages.seq))
      .limit(max + 1);
    return {
      roomId: room.id,
      customerName: room.userName,
      agentName: room.supportAgentName,
      openedAt: room.createdAt.toISOString(),
      closedAt: room.closedAt?.toISOString() ?? null,
      lines: rows.slice(0, max).map((row) => ({
        seq: row.seq,
        senderName: row.senderName,
        isFromSupport: row.isFromSupport,
        message: row.message,
        attachmentNames: row.attachments.map((a) => a.name),
        createdAt: row.createdAt.toISOString(),
      })),
      truncated: rows.length > max,
    };
  },
});
