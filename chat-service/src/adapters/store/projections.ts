import {
  attachmentSummary,
  type RecordedRoomEvent,
  type RoomEventOf,
  type Side,
} from "@support-chat/contracts";
import { attachmentUploaded } from "./attachment-projections.js";
import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Queryable } from "./db.js";
import { indexForSearch, projectNoteOrLabel } from "./notes-search-projections.js";
import { projectReport } from "./report-projections.js";
import { chatMessages, chatRooms, type ChatMessageRow } from "./schema.js";
import { projectFeedback } from "./feedback-projections.js";

export type Recorded<T extends RecordedRoomEvent["type"]> = RoomEventOf<T> & {
  metadata: RecordedRoomEvent["metadata"];
};

// Every timestamp comes from the event itself, never from now(), so a rebuild from the log
// writes exactly the same rows.
const timeOf = (event: RecordedRoomEvent): Date => new Date(event.metadata.occurredAt);

const roomOpened = async (db: Queryable, event: Recorded<"RoomOpened">) => {
  const at = timeOf(event);
  await db.insert(chatRooms).values({
    id: event.data.roomId,
    userId: event.data.customerId,
    userName: event.data.customerName,
    status: "waiting",
    createdAt: at,
    updatedAt: at,
    version: event.metadata.streamPosition,
  });
};

/**
 * The `chat_messages` row of a posted message. The message path's group commit
 * (`message-batch.ts`) writes this same row, and the room changes below, for many messages in
 * one statement: change them here and both paths follow. A projection that writes elsewhere for
 * a posted message must keep that message off the message path (see `appendFromCache` in
 * event-store.ts); message-batch.int.spec.ts rebuilds every table after it to catch one that
 * does not.
 */
export const messageRowOf = (event: Recorded<"MessagePosted">) => {
  const { data } = event;
  return {
    id: data.messageId,
    chatRoomId: data.roomId,
    seq: data.seq,
    senderId: data.senderId,
    senderName: data.senderName,
    senderRole: data.senderRole,
    message: data.message,
    isFromSupport: data.isFromSupport,
    clientMessageId: data.clientMessageId,
    createdAt: timeOf(event),
    attachments: data.attachments ?? [],
  };
};

/** The message as `chat_messages` holds it right after the event (nobody has read it yet). */
export const storedMessageOf = (event: Recorded<"MessagePosted">): ChatMessageRow => ({
  isRead: false,
  ...messageRowOf(event),
});

/** What a posted message sets on its room besides the unread count of the other side. */
export const messageRoomChangesOf = (event: Recorded<"MessagePosted">) => {
  const { data } = event;
  const at = timeOf(event);
  return {
    lastMessage: data.message || attachmentSummary(data.attachments ?? []),
    lastSeq: data.seq,
    lastMessageAt: at,
    updatedAt: at,
    version: event.metadata.streamPosition,
  };
};

const messagePosted = async (db: Queryable, event: Recorded<"MessagePosted">) => {
  const { data } = event;
  await db.insert(chatMessages).values(messageRowOf(event));
  // A message is unread for the side that did not write it.
  const unread = data.isFromSupport
    ? { unreadForCustomer: sql`${chatRooms.unreadForCustomer} + 1` }
    : { unreadForSupport: sql`${chatRooms.unreadForSupport} + 1` };
  await db
    .update(chatRooms)
    .set({ ...unread, ...messageRoomChangesOf(event) })
    .where(eq(chatRooms.id, data.roomId));
};

/** Messages a side reads are the other side's: a customer reads support's, and vice versa. */
const writtenByOtherSide = (side: Side) => eq(chatMessages.isFromSupport, side === "customer");

const messagesRead = async (db: Queryable, event: Recorded<"MessagesRead">) => {
  const { roomId, side, upToSeq } = event.data;
  const ofRoom = eq(chatMessages.chatRoomId, roomId);
  await db
    .update(chatMessages)
    .set({ isRead: true })
    .where(
      and(
        ofRoom,
        writtenByOtherSide(side),
        lte(chatMessages.seq, upToSeq),
        eq(chatMessages.isRead, false),
      ),
    );
  const stillUnread = sql`(select count(*)::int from ${chatMessages} where ${and(
    ofRoom,
    writtenByOtherSide(side),
    gt(chatMessages.seq, upToSeq),
  )})`;
  const marks =
    side === "customer"
      ? { readSeqCustomer: upToSeq, unreadForCustomer: stillUnread }
      : { readSeqSupport: upToSeq, unreadForSupport: stillUnread };
  await db
    .update(chatRooms)
    .set({ ...marks, updatedAt: timeOf(event), version: event.metadata.streamPosition })
    .where(eq(chatRooms.id, roomId));
};

const agentAssigned = async (db: Queryable, event: Recorded<"AgentAssigned">) => {
  const at = timeOf(event);
  await db
    .update(chatRooms)
    .set({
      supportAgentId: event.data.agentId,
      supportAgentName: event.data.agentName,
      status: "open",
      assignedAt: at,
      updatedAt: at,
      version: event.metadata.streamPosition,
    })
    .where(eq(chatRooms.id, event.data.roomId));
};

const roomRequeued = async (db: Queryable, event: Recorded<"RoomRequeued">) => {
  await db
    .update(chatRooms)
    .set({
      supportAgentId: null,
      supportAgentName: null,
      status: "waiting",
      assignedAt: null,
      updatedAt: timeOf(event),
      version: event.metadata.streamPosition,
    })
    .where(eq(chatRooms.id, event.data.roomId));
};

const roomClosed = async (db: Queryable, event: Recorded<"RoomClosed">) => {
  const at = timeOf(event);
  await db
    .update(chatRooms)
    .set({ status: "closed", closedAt: at, updatedAt: at, version: event.metadata.streamPosition })
    .where(eq(chatRooms.id, event.data.roomId));
};

/** Brings `chat_rooms` and `chat_messages` up to date with one event, inside the caller's transaction. */
export const project = async (db: Queryable, event: RecordedRoomEvent): Promise<void> => {
  await indexForSearch(db, event);
  await projectReport(db, event);
  switch (event.type) {
    case "RoomOpened":
      return roomOpened(db, event);
    case "MessagePosted":
      return messagePosted(db, event);
    case "MessagesRead":
      return messagesRead(db, event);
    case "AgentAssigned":
      return agentAssigned(db, event);
    case "RoomRequeued":
      return roomRequeued(db, event);
    case "RoomClosed":
      return roomClosed(db, event);
    case "AttachmentUploaded":
      return attachmentUploaded(db, event);
    case "RoomRated":
    case "TranscriptRequested":
    case "TranscriptAtCloseChanged":
      return projectFeedback(db, event);
    case "NoteAdded":
    case "LabelAdded":
    case "LabelRemoved":
      return projectNoteOrLabel(db, event);
    default: {
      const unknown: never = event;
      throw new Error(`no projection for ${JSON.stringify(unknown)}`);
    }
  }
};
