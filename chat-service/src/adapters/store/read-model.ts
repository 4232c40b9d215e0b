import { LIMITS, type RoomStatus } from "@support-chat/contracts";
import { and, asc, desc, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import type { Queryable } from "./db.js";
import { attachmentOfRoom } from "./attachment-read-model.js";
import { feedbackReadModel } from "./feedback-read-model.js";
import { notesSearchReadModel } from "./notes-search-read-model.js";
import { createReportReadModel } from "./report-read-model.js";
import { chatMessages, chatRooms, type ChatMessageRow, type ChatRoomRow } from "./schema.js";

export type MessagePageRows = { rows: ChatMessageRow[]; hasMore: boolean };

/** What the projections answer; access rules live in the query handlers. */
export const createReadModel = (db: Queryable) => {
  const room = async (roomId: string): Promise<ChatRoomRow | undefined> => {
    const [row] = await db.select().from(chatRooms).where(eq(chatRooms.id, roomId));
    return row;
  };

  const openRoomOf = async (userId: string): Promise<ChatRoomRow | undefined> => {
    const [row] = await db
      .select()
      .from(chatRooms)
      .where(and(eq(chatRooms.userId, userId), ne(chatRooms.status, "closed")));
    return row;
  };

  const message = async (messageId: string): Promise<ChatMessageRow | undefined> => {
    const [row] = await db.select().from(chatMessages).where(eq(chatMessages.id, messageId));
    return row;
  };

  /**
   * `after`: the first `limit` messages past it (catching up); `before`: the `limit` latest
   * before it (scrolling back); neither: the latest `limit`. Always ascending by seq.
   */
  const messages = async (
    roomId: string,
    page: { after?: number; before?: number; limit?: number },
  ): Promise<MessagePageRows> => {
    const limit = page.limit ?? LIMITS.messagePageDefault;
    const ofRoom = eq(chatMessages.chatRoomId, roomId);
    if (page.after !== undefined) {
      const rows = await db
        .select()
        .from(chatMessages)
        .where(and(ofRoom, gt(chatMessages.seq, page.after)))
        .orderBy(asc(chatMessages.seq))
        .limit(limit + 1);
      return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
    }
    const before = page.before === undefined ? undefined : lt(chatMessages.seq, page.before);
    const rows = await db
      .select()
      .from(chatMessages)
      .where(and(ofRoom, before))
      .orderBy(desc(chatMessages.seq))
      .limit(limit + 1);
    return { rows: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
  };

  /** Waiting rooms first, longest waiting first; then the rest, most recent activity first. */
  const supportRooms = async (filter: {
    status: readonly RoomStatus[];
    assignedTo?: string;
    label?: string;
    limit?: number;
  }): Promise<ChatRoomRow[]> => {
    const waiting = sql`(${chatRooms.status} = 'waiting')`;
    const lastActivity = sql`coalesce(${chatRooms.lastMessageAt}, ${chatRooms.createdAt})`;
    return db
      .select()
      .from(chatRooms)
      .where(
        and(
          inArray(chatRooms.status, [...filter.status]),
          filter.assignedTo === undefined
            ? undefined
            : eq(chatRooms.supportAgentId, filter.assignedTo),
          filter.label === undefined
            ? undefined
            : sql`${chatRooms.labels} @> array[${filter.label}::text]`,
        ),
      )
      .orderBy(
        desc(waiting),
        sql`case when ${waiting} then ${chatRooms.createdAt} end asc`,
        desc(lastActivity),
        asc(chatRooms.id),
      )
      .limit(filter.limit ?? LIMITS.roomListDefault);
  };

  /** The name this agent had in an earlier assignment or message, for transfers without one. */
  const knownAgentName = async (agentId: string): Promise<string | undefined> => {
    const [assigned] = await db
      .select({ name: chatRooms.supportAgentName })
      .from(chatRooms)
      .where(eq(chatRooms.supportAgentId, agentId))
      .orderBy(desc(chatRooms.updatedAt))
      .limit(1);
    if (assigned?.name) return assigned.name;
    const [wrote] = await db
      .select({ name: chatMessages.senderName })
      .from(chatMessages)
      .where(and(eq(chatMessages.senderId, agentId), eq(chatMessages.isFromSupport, true)))
      .orderBy(desc(chatMessages.createdAt))
      .limit(1);
    return wrote?.name;
  };

  const attachment = (roomId: string, attachmentId: string) =>
    attachmentOfRoom(db, roomId, attachmentId);

  return {
    room,
    openRoomOf,
    message,
    messages,
    supportRooms,
    knownAgentName,
    attachment,
    ...notesSearchReadModel(db),
    ...feedbackReadModel(db),
    ...createReportReadModel(db),
  };
};

export type ReadModel = ReturnType<typeof createReadModel>;

/** What the support console lists when it asks for no particular status. */
export const ACTIVE_STATUSES: readonly RoomStatus[] = ["waiting", "open"];
