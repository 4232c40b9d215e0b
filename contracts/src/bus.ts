import { z } from "zod";
import { ChatMessage, ChatRoom } from "./models.js";
import { RequeueReason } from "./events.js";
import {
  Actor,
  DisplayName,
  RoomStatus,
  Seq,
  Side,
  UserId,
  Uuid,
  ClientMessageId,
} from "./primitives.js";
import { LIMITS } from "./limits.js";
import {
  AttachmentDescriptor,
  AttachmentRefs,
  GetAttachment,
  RecordAttachment,
  StoredAttachment,
} from "./attachments.js";
import { feedbackCommands, feedbackQueries } from "./feedback.js";
import { ChangeLabel, RoomLabel } from "./labels.js";
import { AddNote, ListNotes, NoteList, RoomNote } from "./notes.js";
import { SearchConversations, SearchResults } from "./search.js";
import { GetSupportReport, SupportReport } from "./reports.js";

/**
 * Every NATS request carries who asks and the correlation id of the browser request that
 * caused it, so logs and events can be joined across hops.
 */
export const requestEnvelope = <P extends z.ZodType>(payload: P) =>
  z.object({
    actor: Actor,
    correlationId: z.string().min(1).max(128),
    causationId: z.string().min(1).max(128).optional(),
    payload,
  });
export type RequestEnvelope<P> = {
  actor: Actor;
  correlationId: string;
  causationId?: string;
  payload: P;
};

const RoomRef = z.object({ roomId: Uuid });

/** A hard cap on what may travel at all; the configurable length limit is checked by `normalizeMessageText`. */
export const MESSAGE_HARD_CAP = 20_000;

export const PostMessage = z.object({
  roomId: Uuid,
  clientMessageId: ClientMessageId,
  message: z.string().max(MESSAGE_HARD_CAP),
  attachments: AttachmentRefs.optional(),
});
export const PostMessageResult = z.object({ message: ChatMessage, duplicate: z.boolean() });
export type PostMessageResult = z.infer<typeof PostMessageResult>;

export const MarkRead = z.object({ roomId: Uuid, upToSeq: Seq.optional() });
export const MarkReadResult = z.object({
  roomId: Uuid,
  side: Side,
  upToSeq: Seq,
  unreadCount: z.number().int().nonnegative(),
});
export type MarkReadResult = z.infer<typeof MarkReadResult>;

export const AssignRoom = z.object({
  roomId: Uuid,
  agentId: UserId,
  agentName: DisplayName,
  /** The router's capacity for this agent; the chat service refuses to go past it. */
  maxChats: z.number().int().nonnegative(),
});
export const TransferRoom = z.object({
  roomId: Uuid,
  agentId: UserId,
  agentName: DisplayName.optional(),
  maxChats: z.number().int().nonnegative().optional(),
});
export const RequeueRoom = z.object({
  roomId: Uuid,
  reason: RequeueReason,
  /** Requeue only if this agent still holds the room (the router's view may be stale). */
  expectedAgentId: UserId.optional(),
});

export const ListMessages = z.object({
  roomId: Uuid,
  after: Seq.optional(),
  before: Seq.min(1).optional(),
  limit: z.number().int().min(1).max(LIMITS.messagePageMax).optional(),
});
export const MessagePage = z.object({
  messages: z.array(ChatMessage),
  /** More messages exist beyond this page in the direction asked. */
  hasMore: z.boolean(),
  lastSeq: Seq,
});
export type MessagePage = z.infer<typeof MessagePage>;

export const ListSupportRooms = z.object({
  status: z.array(RoomStatus).min(1).optional(),
  assignedTo: UserId.optional(),
  /** Only rooms carrying this label. */
  label: RoomLabel.optional(),
  limit: z.number().int().min(1).max(LIMITS.roomListMax).optional(),
});
export const RoomList = z.object({ rooms: z.array(ChatRoom) });
export type RoomList = z.infer<typeof RoomList>;

/** Commands change a room; the chat service answers them from its decider. */
export const chatCommands = {
  openRoom: { request: z.object({}), reply: ChatRoom },
  postMessage: { request: PostMessage, reply: PostMessageResult },
  markRead: { request: MarkRead, reply: MarkReadResult },
  /** `maxChats`, when the assignment service passes it, is enforced like for assignRoom. */
  claimRoom: {
    request: RoomRef.extend({ maxChats: z.number().int().nonnegative().optional() }),
    reply: ChatRoom,
  },
  assignRoom: { request: AssignRoom, reply: ChatRoom },
  transferRoom: { request: TransferRoom, reply: ChatRoom },
  requeueRoom: { request: RequeueRoom, reply: ChatRoom },
  closeRoom: { request: RoomRef, reply: ChatRoom },
  recordAttachment: { request: RecordAttachment, reply: AttachmentDescriptor },
  /** Support staff only: notes, labels (see notes.ts, labels.ts). */
  addNote: { request: AddNote, reply: RoomNote },
  addLabel: { request: ChangeLabel, reply: ChatRoom },
  removeLabel: { request: ChangeLabel, reply: ChatRoom },
  /** Ratings and transcripts (see feedback.ts). */
  ...feedbackCommands,
} as const;

/** Both sides' view of one room, for services that push to both (system actors only). */
export const RoomViews = z.object({
  customer: ChatRoom,
  support: ChatRoom,
  /** The room's stream position the views reflect, so a reader can tell which events they include. */
  version: z.number().int().min(0).optional(),
});
export type RoomViews = z.infer<typeof RoomViews>;

/** Queries read projections; the caller's side decides unread counts and read flags. */
export const chatQueries = {
  getRoom: { request: RoomRef, reply: ChatRoom },
  getRoomViews: { request: RoomRef, reply: RoomViews },
  listMessages: { request: ListMessages, reply: MessagePage },
  listSupportRooms: { request: ListSupportRooms, reply: RoomList },
  getAttachment: { request: GetAttachment, reply: StoredAttachment },
  /** Support staff only (see notes.ts, search.ts). */
  listNotes: { request: ListNotes, reply: NoteList },
  searchConversations: { request: SearchConversations, reply: SearchResults },
  /** Managers and admins only (see reports.ts). */
  getSupportReport: { request: GetSupportReport, reply: SupportReport },
  /** System only: transcripts and customer contact for e-mail (see feedback.ts). */
  ...feedbackQueries,
} as const;

export type Operation = { request: z.ZodType; reply: z.ZodType };
export type ChatCommandName = keyof typeof chatCommands;
export type ChatQueryName = keyof typeof chatQueries;
export type RequestOf<O extends Operation> = z.infer<O["request"]>;
export type ReplyOf<O extends Operation> = z.infer<O["reply"]>;
