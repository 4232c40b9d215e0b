import { randomUUID } from "node:crypto";
import {
  DomainError,
  FEEDBACK_LIMITS,
  type chatCommands,
  type chatQueries,
  type RequestEnvelope,
} from "@support-chat/contracts";
import type { Handlers } from "@support-chat/service-kit";
import { assertSystem } from "../../domain/access.js";
import type { RoomCommand, RoomDecider } from "../../domain/decide.js";
import type { FeedbackRoomCommand } from "../../domain/feedback.js";
import { roomExists } from "../../domain/room.js";
import type { EventStore } from "../store/event-store.js";
import { runRoomCommand } from "./room-commands.js";
import type { ReadModel } from "../store/read-model.js";

type Deps = {
  store: EventStore;
  read: ReadModel;
  decider: RoomDecider;
  now: () => Date;
};

type FeedbackCommandNames = "rateRoom" | "requestTranscript" | "setTranscriptAtClose";
type FeedbackQueryNames = "getTranscript" | "getRoomContact";

/** Ratings and transcript requests: room commands decided like any other. */
export const feedbackCommandHandlers = (
  deps: Deps,
): Pick<Handlers<typeof chatCommands>, FeedbackCommandNames> => {
  const run = (
    request: RequestEnvelope<unknown>,
    roomId: string,
    build: (metadata: RoomCommand["metadata"]) => FeedbackRoomCommand,
  ) => runRoomCommand(deps, request, roomId, build);

  return {
    rateRoom: async (request) => {
      const { roomId, score, comment } = request.payload;
      await run(request, roomId, (metadata) => ({
        type: "RateRoom",
        data: { roomId, score, comment },
        metadata,
      }));
      const row = await deps.read.room(roomId);
      if (!row || row.rating === null || row.ratedAt === null) {
        throw new DomainError("INTERNAL", `the rating of room ${roomId} was not stored`);
      }
      return {
        score: row.rating,
        comment: row.ratingComment,
        ratedAt: row.ratedAt.toISOString(),
      };
    },

    requestTranscript: async (request) => {
      const { roomId, email } = request.payload;
      const requestId = randomUUID();
      await run(request, roomId, (metadata) => ({
        type: "RequestTranscript",
        data: { roomId, requestId, email },
        metadata,
      }));
      return { roomId, requestId, email };
    },

    setTranscriptAtClose: async (request) => {
      const { roomId, email } = request.payload;
      const { state } = await run(request, roomId, (metadata) => ({
        type: "SetTranscriptAtClose",
        data: { roomId, email },
        metadata,
      }));
      return { roomId, email: roomExists(state) ? state.feedback.transcriptAtClose : null };
    },
  };
};

/** What the notification service reads to send e-mail; our own services only. */
export const feedbackQueryHandlers = (
  read: ReadModel,
): Pick<Handlers<typeof chatQueries>, FeedbackQueryNames> => {
  const existingRoom = async (roomId: string) => {
    const row = await read.room(roomId);
    if (!row) throw new DomainError("NOT_FOUND", `room ${roomId} does not exist`);
    return row;
  };
  return {
    getTranscript: async ({ actor, payload }) => {
      assertSystem(actor, "read transcripts");
      const room = await existingRoom(payload.roomId);
      return read.transcript(room, payload.upToSeq, FEEDBACK_LIMITS.transcriptMessagesMax);
    },
    getRoomContact: async ({ actor, payload }) => {
      assertSystem(actor, "read how to reach a customer");
      const room = await existingRoom(payload.roomId);
      return {
        roomId: room.id,
        customerId: room.userId,
        customerName: room.userName,
        email: room.contactEmail,
      };
    },
  };
};
