import {
  DomainError,
  FEEDBACK_LIMITS,
  normalizeRatingComment,
  type Actor,
  type RoomEventBody,
  type RoomEventOf,
} from "@support-chat/contracts";
import type { CommandMetadata } from "./decide.js";
import { roomExists, type OpenRoom, type RoomState } from "./room.js";

/**
 * Ratings and e-mailed transcripts: what the room's customer asks for about their own
 * conversation. Rules:
 * - a room is rated once, by its customer, after it closed; sending the same rating again
 *   changes nothing, a different one is refused (CONFLICT);
 * - a transcript may be asked for at any time, at most `transcriptsPerRoom` times per room;
 * - the opt-in "send me the transcript when the chat ends" is set while the room is not closed,
 *   and the close itself records the transcript request (see `transcriptAtClose`).
 */
type FeedbackCommand<T extends string, D> = Readonly<{
  type: T;
  data: Readonly<D>;
  metadata: CommandMetadata;
}>;
export type RateRoomCommand = FeedbackCommand<
  "RateRoom",
  { roomId: string; score: number; comment?: string | null | undefined }
>;
export type RequestTranscriptCommand = FeedbackCommand<
  "RequestTranscript",
  { roomId: string; requestId: string; email: string }
>;
export type SetTranscriptAtCloseCommand = FeedbackCommand<
  "SetTranscriptAtClose",
  { roomId: string; email: string | null }
>;
export type FeedbackRoomCommand =
  RateRoomCommand | RequestTranscriptCommand | SetTranscriptAtCloseCommand;

/** What the room state keeps of feedback. */
export type RoomFeedback = Readonly<{
  rating: Readonly<{ score: number; comment: string | null }> | null;
  /** The address the transcript goes to at close; null when the customer did not opt in. */
  transcriptAtClose: string | null;
  transcriptsRequested: number;
}>;

export const noFeedback: RoomFeedback = {
  rating: null,
  transcriptAtClose: null,
  transcriptsRequested: 0,
};

/** Only the room's own customer; support staff, services and other customers are refused. */
const customersRoom = (actor: Actor, state: RoomState, roomId: string, what: string): OpenRoom => {
  if (!roomExists(state)) throw new DomainError("NOT_FOUND", `room ${roomId} does not exist`);
  if (actor.role !== "customer" || actor.id !== state.customerId) {
    throw new DomainError("FORBIDDEN", `only the room's customer may ${what}`);
  }
  return state;
};

export const rateRoom = (command: RateRoomCommand, state: RoomState): RoomEventBody[] => {
  const { roomId, score } = command.data;
  const room = customersRoom(command.metadata.actor, state, roomId, "rate it");
  if (!Number.isInteger(score) || score < 1 || score > 5) {
    throw new DomainError("VALIDATION_FAILED", "a rating is a whole number from 1 to 5");
  }
  const comment = normalizeRatingComment(command.data.comment);
  if (room.status !== "closed") {
    throw new DomainError("CONFLICT", `room ${roomId} can be rated once the chat has ended`);
  }
  if (room.feedback.rating !== null) {
    const same = room.feedback.rating.score === score && room.feedback.rating.comment === comment;
    if (same) return [];
    throw new DomainError("CONFLICT", `room ${roomId} has already been rated`);
  }
  return [{ type: "RoomRated", data: { roomId, customerId: room.customerId, score, comment } }];
};

const transcriptRequested = (
  room: OpenRoom,
  requestId: string,
  email: string,
  reason: "requested" | "closed",
): RoomEventOf<"TranscriptRequested"> => ({
  type: "TranscriptRequested",
  data: { roomId: room.roomId, requestId, email, reason, upToSeq: room.lastSeq },
});

export const requestTranscript = (
  command: RequestTranscriptCommand,
  state: RoomState,
): RoomEventBody[] => {
  const { roomId, requestId, email } = command.data;
  const room = customersRoom(command.metadata.actor, state, roomId, "ask for its transcript");
  if (room.feedback.transcriptsRequested >= FEEDBACK_LIMITS.transcriptsPerRoom) {
    throw new DomainError(
      "RATE_LIMITED",
      `room ${roomId} has had ${FEEDBACK_LIMITS.transcriptsPerRoom} transcripts sent, the most one room may`,
    );
  }
  return [transcriptRequested(room, requestId, email, "requested")];
};

export const setTranscriptAtClose = (
  command: SetTranscriptAtCloseCommand,
  state: RoomState,
): RoomEventBody[] => {
  const { roomId, email } = command.data;
  const room = customersRoom(command.metadata.actor, state, roomId, "ask for its transcript");
  if (room.status === "closed") {
    throw new DomainError("ROOM_CLOSED", `room ${roomId} is closed; ask for the transcript now`);
  }
  if (room.feedback.transcriptAtClose === email) return [];
  return [{ type: "TranscriptAtCloseChanged", data: { roomId, email } }];
};

/**
 * Decided with the close, in the same append: the transcript the customer opted in to. The
 * request id is the close's own id, so it is minted by the caller like every other id.
 */
export const transcriptAtClose = (room: OpenRoom, requestId: string): RoomEventBody[] => {
  const email = room.feedback.transcriptAtClose;
  if (email === null) return [];
  if (room.feedback.transcriptsRequested >= FEEDBACK_LIMITS.transcriptsPerRoom) return [];
  return [transcriptRequested(room, requestId, email, "closed")];
};

export const decideFeedback = (command: FeedbackRoomCommand, state: RoomState): RoomEventBody[] => {
  switch (command.type) {
    case "RateRoom":
      return rateRoom(command, state);
    case "RequestTranscript":
      return requestTranscript(command, state);
    case "SetTranscriptAtClose":
      return setTranscriptAtClose(command, state);
  }
};

type FeedbackEvent = RoomEventOf<"RoomRated" | "TranscriptRequested" | "TranscriptAtCloseChanged">;

export const evolveFeedback = (room: OpenRoom, event: FeedbackEvent): OpenRoom => {
  const { feedback } = room;
  switch (event.type) {
    case "RoomRated": {
      const { score, comment } = event.data;
      return { ...room, feedback: { ...feedback, rating: { score, comment } } };
    }
    case "TranscriptRequested":
      return {
        ...room,
        feedback: { ...feedback, transcriptsRequested: feedback.transcriptsRequested + 1 },
      };
    case "TranscriptAtCloseChanged":
      return { ...room, feedback: { ...feedback, transcriptAtClose: event.data.email } };
  }
};
