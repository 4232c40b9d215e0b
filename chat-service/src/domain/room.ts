import type {
  AttachmentDescriptor,
  RoomEventBody,
  RoomStatus,
  Side,
} from "@support-chat/contracts";
import { labelAdded, labelRemoved } from "./labels.js";
import { noteAdded } from "./notes.js";
import { evolveFeedback, noFeedback, type RoomFeedback } from "./feedback.js";

import { PostedMessages } from "./posted-messages.js";

export type { PostedMessage } from "./posted-messages.js";

export type OpenRoom = Readonly<{
  status: RoomStatus;
  roomId: string;
  customerId: string;
  customerName: string;
  agentId: string | null;
  agentName: string | null;
  lastSeq: number;
  readSeq: Readonly<Record<Side, number>>;
  /** When the RoomOpened event was recorded. */
  openedAt: Date;
  /** Whether support has posted in the room yet (first response time ends there). */
  supportAnswered: boolean;
  /** Keyed by `messageKey(senderId, clientMessageId)`; makes a retried send the same message. */
  messages: PostedMessages;
  /** Attachments recorded in the room, by id: what its messages may refer to. */
  attachments: ReadonlyMap<string, AttachmentDescriptor>;
  /** The customer's rating and transcript requests (see feedback.ts). */
  feedback: RoomFeedback;
  /** Private notes by `messageKey(authorId, clientNoteId)` → note id; makes a retry the same note. */
  notes: ReadonlyMap<string, string>;
  /** Support staff's labels, in the order they were added. */
  labels: readonly string[];
}>;

export type RoomState = Readonly<{ status: "none" }> | OpenRoom;

export const initialState = (): RoomState => ({ status: "none" });

export const roomExists = (state: RoomState): state is OpenRoom => state.status !== "none";

export const messageKey = (senderId: string, clientMessageId: string): string =>
  JSON.stringify([senderId, clientMessageId]);

/**
 * Folds one event, recorded at `at`, into the room. Pure: the same events always give the
 * same room.
 */
export const evolve = (state: RoomState, event: RoomEventBody, at: Date): RoomState => {
  if (event.type === "RoomOpened") {
    return {
      status: "waiting",
      roomId: event.data.roomId,
      customerId: event.data.customerId,
      customerName: event.data.customerName,
      agentId: null,
      agentName: null,
      lastSeq: 0,
      readSeq: { customer: 0, support: 0 },
      openedAt: at,
      supportAnswered: false,
      messages: PostedMessages.empty(),
      attachments: new Map(),
      feedback: noFeedback,
      notes: new Map(),
      labels: [],
    };
  }
  if (!roomExists(state)) return state;
  switch (event.type) {
    case "MessagePosted": {
      const { senderId, clientMessageId, messageId, seq } = event.data;
      const messages = state.messages.with(messageKey(senderId, clientMessageId), {
        messageId,
        seq,
      });
      const supportAnswered = state.supportAnswered || event.data.isFromSupport;
      return { ...state, lastSeq: seq, supportAnswered, messages };
    }
    case "MessagesRead":
      return { ...state, readSeq: { ...state.readSeq, [event.data.side]: event.data.upToSeq } };
    case "AgentAssigned":
      return {
        ...state,
        status: "open",
        agentId: event.data.agentId,
        agentName: event.data.agentName,
      };
    case "RoomRequeued":
      return { ...state, status: "waiting", agentId: null, agentName: null };
    case "RoomClosed":
      return { ...state, status: "closed" };
    case "RoomRated":
    case "TranscriptRequested":
    case "TranscriptAtCloseChanged":
      return evolveFeedback(state, event);
    case "AttachmentUploaded": {
      const { attachmentId: id, name, contentType, size } = event.data;
      const attachments = new Map(state.attachments);
      attachments.set(id, { id, name, contentType, size });
      return { ...state, attachments };
    }
    case "NoteAdded":
      return noteAdded(state, event);
    case "LabelAdded":
      return labelAdded(state, event);
    case "LabelRemoved":
      return labelRemoved(state, event);
  }
};

/** Folds events recorded together (one decision, one time) into the room. */
export const evolveAll = (
  state: RoomState,
  events: readonly RoomEventBody[],
  at: Date,
): RoomState => events.reduce((room, event) => evolve(room, event, at), state);

/**
 * Seconds from the room's opening to its first support message, when `events` (recorded at
 * `at`) post that message into the room as it was `before` them; undefined otherwise.
 */
export const firstResponseSeconds = (
  before: RoomState,
  events: readonly RoomEventBody[],
  at: Date,
): number | undefined => {
  if (!roomExists(before) || before.supportAnswered) return undefined;
  const answers = events.some((e) => e.type === "MessagePosted" && e.data.isFromSupport);
  return answers ? Math.max(0, (at.getTime() - before.openedAt.getTime()) / 1000) : undefined;
};
