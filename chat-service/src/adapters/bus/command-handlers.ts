import { randomUUID } from "node:crypto";
import {
  DomainError,
  sideOf,
  type Actor,
  type chatCommands,
  type RequestEnvelope,
} from "@support-chat/contracts";
import type { Handlers } from "@support-chat/service-kit";
import type { RoomCommand, RoomDecider } from "../../domain/decide.js";
import { messageKey, roomExists } from "../../domain/room.js";
import { isUniqueViolation } from "../store/db.js";
import type { CapacityLimit, EventStore } from "../store/event-store.js";
import type { ReadModel } from "../store/read-model.js";
import { messageView, roomView } from "../store/views.js";
import { storedMessageOf } from "../store/projections.js";
import { recordAttachmentHandler } from "./attachment-handlers.js";
import { feedbackCommandHandlers } from "./feedback-handlers.js";
import { noteAndLabelCommands } from "./notes-labels-search-handlers.js";
import { runRoomCommand } from "./room-commands.js";

type Deps = { store: EventStore; read: ReadModel; decider: RoomDecider; now: () => Date };

export const commandHandlers = (deps: Deps): Handlers<typeof chatCommands> => {
  const { read } = deps;

  /** Decides and appends one command for a room; returns the room state after it. */
  const run = (
    request: RequestEnvelope<unknown>,
    roomId: string,
    build: (meta: RoomCommand["metadata"]) => RoomCommand,
    capacity?: CapacityLimit,
  ) => runRoomCommand(deps, request, roomId, build, capacity);

  /** The room as the caller sees it, read from the projection this command just updated. */
  const viewFor = async (roomId: string, actor: Actor) => {
    const row = await read.room(roomId);
    if (!row) throw new DomainError("NOT_FOUND", `room ${roomId} does not exist`);
    return roomView(row, sideOf(actor.role));
  };

  return {
    openRoom: async (request) => {
      const { actor } = request;
      if (actor.role === "customer") {
        const current = await read.openRoomOf(actor.id);
        if (current) return roomView(current, "customer");
      }
      const roomId = randomUUID();
      try {
        await run(request, roomId, (metadata) => ({
          type: "OpenRoom",
          data: { roomId },
          metadata,
        }));
      } catch (e) {
        // Another request of the same customer opened a room first: that one is theirs.
        if (!isUniqueViolation(e, "chat_rooms_one_open_per_user")) throw e;
        const winner = await read.openRoomOf(actor.id);
        if (!winner) throw new DomainError("CONFLICT", "your room changed meanwhile; try again");
        return roomView(winner, "customer");
      }
      return viewFor(roomId, actor);
    },

    postMessage: async (request) => {
      const { roomId, clientMessageId, message, attachments } = request.payload;
      const messageId = randomUUID();
      const { state, appended } = await run(request, roomId, (metadata) => ({
        type: "PostMessage",
        data: { roomId, messageId, clientMessageId, text: message, attachmentIds: attachments },
        metadata,
      }));
      const posted = roomExists(state)
        ? state.messages.get(messageKey(request.actor.id, clientMessageId))
        : undefined;
      // A new message is answered from its event, as the projection stored it; only a retried
      // send reads the stored row (it may have been read since).
      const event = appended.find((e) => e.type === "MessagePosted");
      const row = event ? storedMessageOf(event) : posted && (await read.message(posted.messageId));
      if (!row) throw new DomainError("INTERNAL", `message ${clientMessageId} was not stored`);
      return { message: messageView(row), duplicate: appended.length === 0 };
    },

    markRead: async (request) => {
      const { roomId, upToSeq } = request.payload;
      const { state } = await run(request, roomId, (metadata) => ({
        type: "MarkRead",
        data: { roomId, upToSeq },
        metadata,
      }));
      const side = sideOf(request.actor.role);
      const room = await viewFor(roomId, request.actor);
      const readUpTo = roomExists(state) ? state.readSeq[side] : 0;
      return { roomId, side, upToSeq: readUpTo, unreadCount: room.unreadCount };
    },

    claimRoom: async (request) => {
      const { roomId, maxChats } = request.payload;
      await run(
        request,
        roomId,
        (metadata) => ({ type: "ClaimRoom", data: { roomId }, metadata }),
        // The assignment service passes the agent's capacity; it is checked atomically here.
        maxChats === undefined ? undefined : { agentId: request.actor.id, maxChats },
      );
      return viewFor(roomId, request.actor);
    },

    assignRoom: async (request) => {
      const { roomId, agentId, agentName, maxChats } = request.payload;
      await run(
        request,
        roomId,
        (metadata) => ({ type: "AssignRoom", data: { roomId, agentId, agentName }, metadata }),
        { agentId, maxChats },
      );
      return viewFor(roomId, request.actor);
    },

    transferRoom: async (request) => {
      const { roomId, agentId, maxChats } = request.payload;
      const agentName =
        request.payload.agentName ?? (await read.knownAgentName(agentId)) ?? agentId;
      await run(
        request,
        roomId,
        (metadata) => ({ type: "TransferRoom", data: { roomId, agentId, agentName }, metadata }),
        maxChats === undefined ? undefined : { agentId, maxChats },
      );
      return viewFor(roomId, request.actor);
    },

    requeueRoom: async (request) => {
      const { roomId, reason, expectedAgentId } = request.payload;
      await run(request, roomId, (metadata) => ({
        type: "RequeueRoom",
        data: { roomId, reason, expectedAgentId },
        metadata,
      }));
      return viewFor(roomId, request.actor);
    },

    ...noteAndLabelCommands(deps),

    closeRoom: async (request) => {
      const { roomId } = request.payload;
      await run(request, roomId, (metadata) => ({
        type: "CloseRoom",
        // Used only when the customer opted in to the transcript at close.
        data: { roomId, transcriptRequestId: randomUUID() },
        metadata,
      }));
      return viewFor(roomId, request.actor);
    },

    recordAttachment: recordAttachmentHandler(deps),

    ...feedbackCommandHandlers(deps),
  };
};
