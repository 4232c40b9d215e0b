import {
  DomainError,
  isManagerRole,
  isSupportRole,
  normalizeMessageBody,
  sideOf,
  type Actor,
  type RequeueReason,
  type RoomEventBody,
  type RoomEventOf,
} from "@support-chat/contracts";
import {
  evolve,
  initialState,
  messageKey,
  roomExists,
  type OpenRoom,
  type RoomState,
} from "./room.js";
import { attachmentsFor, recordAttachment, type RecordAttachmentData } from "./attachments.js";
import { addLabel, removeLabel, type AddLabelCommand, type RemoveLabelCommand } from "./labels.js";
import { addNote, type AddNoteCommand } from "./notes.js";
import { decideFeedback, transcriptAtClose, type FeedbackRoomCommand } from "./feedback.js";

/** Who asks and when; ids the events need are minted by the caller, never inside decide. */
export type CommandMetadata = Readonly<{ actor: Actor; now: Date }>;

type Command<T extends string, D> = Readonly<{
  type: T;
  data: Readonly<D>;
  metadata: CommandMetadata;
}>;

export type OpenRoomCommand = Command<"OpenRoom", { roomId: string }>;
export type PostMessageCommand = Command<
  "PostMessage",
  {
    roomId: string;
    messageId: string;
    clientMessageId: string;
    text: string;
    attachmentIds?: readonly string[] | undefined;
  }
>;
export type MarkReadCommand = Command<"MarkRead", { roomId: string; upToSeq?: number }>;
export type ClaimRoomCommand = Command<"ClaimRoom", { roomId: string }>;
export type AssignRoomCommand = Command<
  "AssignRoom",
  { roomId: string; agentId: string; agentName: string }
>;
export type TransferRoomCommand = Command<
  "TransferRoom",
  { roomId: string; agentId: string; agentName: string }
>;
export type RequeueRoomCommand = Command<
  "RequeueRoom",
  { roomId: string; reason: RequeueReason; expectedAgentId?: string | undefined }
>;
/** `transcriptRequestId`: the id of the transcript the customer opted in to, if they did. */
export type CloseRoomCommand = Command<
  "CloseRoom",
  { roomId: string; transcriptRequestId?: string | undefined }
>;
export type RecordAttachmentCommand = Command<"RecordAttachment", RecordAttachmentData>;

export type RoomCommand =
  | OpenRoomCommand
  | PostMessageCommand
  | MarkReadCommand
  | ClaimRoomCommand
  | AssignRoomCommand
  | TransferRoomCommand
  | RequeueRoomCommand
  | AddNoteCommand
  | AddLabelCommand
  | RemoveLabelCommand
  | CloseRoomCommand
  | RecordAttachmentCommand
  | FeedbackRoomCommand;

/** Rules operators may tune; injected so decide stays pure. */
export type RoomRules = Readonly<{ messageMaxLength: number }>;

const forbidden = (what: string) => new DomainError("FORBIDDEN", `you may not ${what}`);
const notFound = (roomId: string) => new DomainError("NOT_FOUND", `room ${roomId} does not exist`);
const closed = (roomId: string) => new DomainError("ROOM_CLOSED", `room ${roomId} is closed`);

const existing = (state: RoomState, roomId: string): OpenRoom => {
  if (!roomExists(state)) throw notFound(roomId);
  return state;
};

const notClosed = (room: OpenRoom): OpenRoom => {
  if (room.status === "closed") throw closed(room.roomId);
  return room;
};

/** Customers reach only their own room; support roles reach every room. */
const mayAccess = (actor: Actor, room: OpenRoom): boolean =>
  actor.role === "customer" ? actor.id === room.customerId : isSupportRole(actor.role);

export const openRoom = (command: OpenRoomCommand, state: RoomState): RoomEventBody[] => {
  const { actor } = command.metadata;
  if (actor.role !== "customer") throw forbidden("open a room unless you are a customer");
  if (roomExists(state)) {
    throw new DomainError("CONFLICT", `room ${command.data.roomId} already exists`);
  }
  return [
    {
      type: "RoomOpened",
      data: { roomId: command.data.roomId, customerId: actor.id, customerName: actor.name },
    },
  ];
};

export const postMessage = (
  command: PostMessageCommand,
  state: RoomState,
  rules: RoomRules,
): RoomEventBody[] => {
  const { actor } = command.metadata;
  const { roomId, messageId, clientMessageId } = command.data;
  const room = existing(state, roomId);
  if (actor.role === "system" || !mayAccess(actor, room)) {
    throw forbidden(`post in room ${roomId}`);
  }
  notClosed(room);
  // A retry of a message already stored is answered with that message, not a second one.
  if (room.messages.has(messageKey(actor.id, clientMessageId))) return [];
  const attachments = attachmentsFor(room, command.data.attachmentIds ?? []);
  const message = normalizeMessageBody(
    command.data.text,
    rules.messageMaxLength,
    attachments.length,
  );
  const posted: RoomEventOf<"MessagePosted"> = {
    type: "MessagePosted",
    data: {
      roomId,
      messageId,
      seq: room.lastSeq + 1,
      clientMessageId,
      senderId: actor.id,
      senderName: actor.name,
      senderRole: actor.role,
      isFromSupport: isSupportRole(actor.role),
      message,
      // Absent rather than empty, so messages without attachments are recorded as before.
      ...(attachments.length > 0 ? { attachments } : {}),
    },
  };
  return [posted];
};

export const markRead = (command: MarkReadCommand, state: RoomState): RoomEventBody[] => {
  const { actor } = command.metadata;
  const room = existing(state, command.data.roomId);
  if (actor.role === "system" || !mayAccess(actor, room)) {
    throw forbidden(`read room ${room.roomId}`);
  }
  const upToSeq = command.data.upToSeq ?? room.lastSeq;
  if (upToSeq > room.lastSeq) {
    throw new DomainError(
      "VALIDATION_FAILED",
      `upToSeq ${upToSeq} is past the last message (seq ${room.lastSeq})`,
    );
  }
  const side = sideOf(actor.role);
  if (upToSeq <= room.readSeq[side]) return [];
  return [
    { type: "MessagesRead", data: { roomId: room.roomId, readerId: actor.id, side, upToSeq } },
  ];
};

export const claimRoom = (command: ClaimRoomCommand, state: RoomState): RoomEventBody[] => {
  const { actor } = command.metadata;
  if (!isSupportRole(actor.role)) throw forbidden("take rooms unless you are support staff");
  const room = notClosed(existing(state, command.data.roomId));
  if (room.agentId === actor.id) return [];
  const takingOver = room.agentId !== null;
  if (takingOver && !isManagerRole(actor.role)) {
    throw new DomainError(
      "ALREADY_ASSIGNED",
      `room ${room.roomId} is already assigned to ${room.agentName ?? room.agentId}`,
    );
  }
  return [
    {
      type: "AgentAssigned",
      data: {
        roomId: room.roomId,
        agentId: actor.id,
        agentName: actor.name,
        reason: takingOver ? "transferred" : "claimed",
        previousAgentId: room.agentId,
      },
    },
  ];
};

export const assignRoom = (command: AssignRoomCommand, state: RoomState): RoomEventBody[] => {
  const { actor } = command.metadata;
  if (actor.role !== "system") throw forbidden("route rooms; only the router does");
  const room = notClosed(existing(state, command.data.roomId));
  if (room.agentId !== null || room.status !== "waiting") {
    throw new DomainError(
      "ALREADY_ASSIGNED",
      `room ${room.roomId} is already assigned to ${room.agentName ?? room.agentId}`,
    );
  }
  const { agentId, agentName } = command.data;
  return [
    {
      type: "AgentAssigned",
      data: { roomId: room.roomId, agentId, agentName, reason: "routed", previousAgentId: null },
    },
  ];
};

export const transferRoom = (command: TransferRoomCommand, state: RoomState): RoomEventBody[] => {
  const { actor } = command.metadata;
  if (!isSupportRole(actor.role)) throw forbidden("transfer rooms");
  const room = notClosed(existing(state, command.data.roomId));
  if (!isManagerRole(actor.role) && room.agentId !== actor.id) {
    throw forbidden(`transfer room ${room.roomId}; it is not assigned to you`);
  }
  if (room.agentId === null) {
    throw new DomainError("NOT_ASSIGNED", `room ${room.roomId} is not assigned to anyone`);
  }
  const { agentId, agentName } = command.data;
  if (room.agentId === agentId) return [];
  return [
    {
      type: "AgentAssigned",
      data: {
        roomId: room.roomId,
        agentId,
        agentName,
        reason: "transferred",
        previousAgentId: room.agentId,
      },
    },
  ];
};

export const requeueRoom = (command: RequeueRoomCommand, state: RoomState): RoomEventBody[] => {
  const { actor } = command.metadata;
  if (actor.role === "customer") throw forbidden("put rooms back in the queue");
  const room = notClosed(existing(state, command.data.roomId));
  const allowed = actor.role === "system" || isManagerRole(actor.role) || room.agentId === actor.id;
  if (!allowed) throw forbidden(`requeue room ${room.roomId}; it is not assigned to you`);
  if (room.agentId === null) {
    throw new DomainError("NOT_ASSIGNED", `room ${room.roomId} is not assigned to anyone`);
  }
  const expected = command.data.expectedAgentId;
  if (expected !== undefined && expected !== room.agentId) {
    throw new DomainError("CONFLICT", `room ${room.roomId} is no longer with agent ${expected}`);
  }
  return [
    {
      type: "RoomRequeued",
      data: { roomId: room.roomId, previousAgentId: room.agentId, reason: command.data.reason },
    },
  ];
};

export const closeRoom = (command: CloseRoomCommand, state: RoomState): RoomEventBody[] => {
  const { actor } = command.metadata;
  const room = existing(state, command.data.roomId);
  if (actor.role !== "system" && !mayAccess(actor, room)) {
    throw forbidden(`close room ${room.roomId}`);
  }
  if (room.status === "closed") return [];
  const { transcriptRequestId } = command.data;
  return [
    {
      type: "RoomClosed",
      data: { roomId: room.roomId, closedBy: actor.id, closedByRole: actor.role },
    },
    // The transcript the customer opted in to is asked for by the close itself, atomically.
    ...(transcriptRequestId === undefined ? [] : transcriptAtClose(room, transcriptRequestId)),
  ];
};

export const decide = (
  command: RoomCommand,
  state: RoomState,
  rules: RoomRules,
): RoomEventBody[] => {
  switch (command.type) {
    case "OpenRoom":
      return openRoom(command, state);
    case "PostMessage":
      return postMessage(command, state, rules);
    case "MarkRead":
      return markRead(command, state);
    case "ClaimRoom":
      return claimRoom(command, state);
    case "AssignRoom":
      return assignRoom(command, state);
    case "TransferRoom":
      return transferRoom(command, state);
    case "RequeueRoom":
      return requeueRoom(command, state);
    case "CloseRoom":
      return closeRoom(command, state);
    case "RateRoom":
    case "RequestTranscript":
    case "SetTranscriptAtClose":
      return decideFeedback(command, state);
    case "RecordAttachment":
      return recordAttachment(
        command.metadata.actor,
        existing(state, command.data.roomId),
        command.data,
      );
    case "AddNote":
      return addNote(command, state);
    case "AddLabel":
      return addLabel(command, state);
    case "RemoveLabel":
      return removeLabel(command, state);
    default: {
      const unknown: never = command;
      throw new DomainError("VALIDATION_FAILED", `unknown command ${JSON.stringify(unknown)}`);
    }
  }
};

export type RoomDecider = Readonly<{
  decide: (command: RoomCommand, state: RoomState) => RoomEventBody[];
  evolve: typeof evolve;
  initialState: typeof initialState;
}>;

export const roomDecider = (rules: RoomRules): RoomDecider => ({
  decide: (command, state) => decide(command, state, rules),
  evolve,
  initialState,
});
