import { z } from "zod";
import { ChatMessage, ChatRoom } from "./models.js";
import { MarkReadResult, MESSAGE_HARD_CAP } from "./bus.js";
import { RequeueReason } from "./events.js";
import { ClientMessageId, DisplayName, Seq, Side, UserId, Uuid, Role } from "./primitives.js";
import type { Reply } from "./envelope.js";
import { NoteAddedPush } from "./notes.js";
import { AgentStatus, AgentUpdated, AgentView } from "./assignment.js";
import { AttachmentRefs } from "./attachments.js";
import { CannedResponseChangedPush } from "./canned.js";
import { RoomRatedPush } from "./feedback.js";

/** The socket.io namespace of the chat. */
export const CHAT_NAMESPACE = "/chat";

/** Socket.io room names, built in one place. */
export const socketRooms = {
  room: (roomId: string) => `room:${roomId}`,
  user: (userId: string) => `user:${userId}`,
  agents: "agents",
} as const;

// ---- client → server (every event takes an ack callback answered with a Reply) ----

export const RegisterPayload = z.object({ userId: UserId });
export const JoinRoomPayload = z.object({ roomId: Uuid });
export const LeaveRoomPayload = z.object({ roomId: Uuid });
export const SendMessagePayload = z.object({
  roomId: Uuid,
  message: z.string().max(MESSAGE_HARD_CAP),
  clientMessageId: ClientMessageId,
  /** Ids of attachments of this room (uploaded over REST first); the text may then be empty. */
  attachments: AttachmentRefs.optional(),
  /** Accepted for compatibility with the seed; refused when it is not the token's subject. */
  senderId: UserId.optional(),
  /** Accepted for compatibility with the seed; refused when it disagrees with the token's role. */
  isFromSupport: z.boolean().optional(),
});
export const TypingPayload = z.object({
  roomId: Uuid,
  isTyping: z.boolean(),
  /** Accepted for compatibility with the seed; refused when it is not the token's subject. */
  userId: UserId.optional(),
});
export const MarkReadPayload = z.object({ roomId: Uuid, upToSeq: Seq.optional() });

export const SetStatusPayload = z.object({ status: AgentStatus });

export const Registered = z.object({ userId: UserId, name: DisplayName, role: Role });

export const clientEvents = {
  register: { payload: RegisterPayload, ack: Registered },
  joinRoom: { payload: JoinRoomPayload, ack: ChatRoom },
  leaveRoom: { payload: LeaveRoomPayload, ack: z.object({ roomId: Uuid }) },
  sendMessage: { payload: SendMessagePayload, ack: ChatMessage },
  typing: { payload: TypingPayload, ack: z.object({ roomId: Uuid }) },
  markRead: { payload: MarkReadPayload, ack: MarkReadResult },
  /** Agents only: available / busy / offline. */
  setStatus: { payload: SetStatusPayload, ack: AgentView },
} as const;
export type ClientEventName = keyof typeof clientEvents;

// ---- server → client ----

export const NewMessagePush = ChatMessage.extend({ roomId: Uuid });
export const UserTypingPush = z.object({
  roomId: Uuid,
  userId: UserId,
  userName: DisplayName,
  isFromSupport: z.boolean(),
  isTyping: z.boolean(),
});
export const SupportJoinedPush = z.object({
  roomId: Uuid,
  agentId: UserId,
  agentName: DisplayName,
  message: z.string(),
});
export const NewChatRequestPush = z.object({
  roomId: Uuid,
  userId: UserId,
  userName: DisplayName,
  message: z.string(),
  seq: Seq,
});
/** The room as the recipient should see it (unread count from their side). */
export const RoomUpdatedPush = z.object({ room: ChatRoom });
export const MessagesReadPush = z.object({
  roomId: Uuid,
  side: Side,
  readerId: UserId,
  upToSeq: Seq,
});
export const RoomAssignedPush = z.object({ room: ChatRoom });
export const RoomUnassignedPush = z.object({
  roomId: Uuid,
  reason: z.union([RequeueReason, z.literal("transferred"), z.literal("closed")]),
});
export const QueueUpdatedPush = z.object({
  roomId: Uuid,
  /** 1 = next to be served; null when the room is not waiting. */
  position: z.number().int().min(1).nullable(),
  estimatedWaitSeconds: z.number().int().nonnegative().nullable(),
  agentsOnline: z.number().int().nonnegative(),
});

export const serverEvents = {
  newMessage: NewMessagePush,
  userTyping: UserTypingPush,
  supportJoined: SupportJoinedPush,
  newChatRequest: NewChatRequestPush,
  roomUpdated: RoomUpdatedPush,
  messagesRead: MessagesReadPush,
  roomAssigned: RoomAssignedPush,
  roomUnassigned: RoomUnassignedPush,
  queueUpdated: QueueUpdatedPush,
  /** To agents: an agent's presence, status, load or capacity changed. */
  agentUpdated: AgentUpdated,
  /** To support staff only (the `agents` room): a private note was added to a room. */
  noteAdded: NoteAddedPush,
  /** To support staff (the `agents` room) and the room's customer: the customer rated the room. */
  roomRated: RoomRatedPush,
  /** To support staff only (the `agents` room): a canned response was created, edited or deleted. */
  cannedResponseChanged: CannedResponseChangedPush,
} as const;
export type ServerEventName = keyof typeof serverEvents;

/** Typed maps for socket.io's generics, derived from the schemas above. */
export type ClientToServerEvents = {
  [K in ClientEventName]: (
    payload: z.input<(typeof clientEvents)[K]["payload"]>,
    ack: (reply: Reply<z.infer<(typeof clientEvents)[K]["ack"]>>) => void,
  ) => void;
};
export type ServerToClientEvents = {
  [K in ServerEventName]: (payload: z.infer<(typeof serverEvents)[K]>) => void;
};
export type ServerEventPayload<K extends ServerEventName> = z.infer<(typeof serverEvents)[K]>;
export type ClientEventPayload<K extends ClientEventName> = z.infer<
  (typeof clientEvents)[K]["payload"]
>;
export type ClientEventAck<K extends ClientEventName> = z.infer<(typeof clientEvents)[K]["ack"]>;
