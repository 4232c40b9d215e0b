import { z } from "zod";
import { DomainError } from "./errors.js";
import {
  DisplayName,
  IsoDateTime,
  isStorableText,
  NOT_STORABLE,
  Seq,
  UserId,
  Uuid,
} from "./primitives.js";

/**
 * What the customer leaves behind after a conversation: a rating (1 to 5 and an optional
 * comment) and e-mailed transcripts, asked for at once or at close. Both are events of the
 * room's stream; the notification service sends the e-mail from the event.
 */

export const FEEDBACK_LIMITS = {
  /** Characters (code points) in a rating's comment after trimming. */
  commentMaxLength: 1000,
  /** A hard cap on what may travel at all. */
  commentHardCap: 5000,
  /** Transcripts one room may have sent; e-mail to any address is worth a bound. */
  transcriptsPerRoom: 5,
  /** RFC 5321: an address is at most 254 characters. */
  emailMaxLength: 254,
  /** Messages one transcript carries at most; a longer conversation says it was cut. */
  transcriptMessagesMax: 2000,
} as const;

export const RatingScore = z.number().int().min(1).max(5);
export type RatingScore = z.infer<typeof RatingScore>;

/** A deliverable address: trimmed and lower-cased, so the same person is the same address. */
export const EmailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .max(FEEDBACK_LIMITS.emailMaxLength)
  .pipe(z.email({ message: "an e-mail address such as name@example.com" }));
export type EmailAddress = z.infer<typeof EmailAddress>;

/** Trimmed; empty becomes no comment; at most `commentMaxLength` characters. */
export const normalizeRatingComment = (raw: string | null | undefined): string | null => {
  const text = (raw ?? "").trim();
  if (text.length === 0) return null;
  if (!isStorableText(text)) {
    throw new DomainError("VALIDATION_FAILED", `the comment ${NOT_STORABLE}`);
  }
  const length = [...text].length;
  if (length > FEEDBACK_LIMITS.commentMaxLength) {
    throw new DomainError(
      "MESSAGE_TOO_LONG",
      `the comment is ${length} characters; the maximum is ${FEEDBACK_LIMITS.commentMaxLength}`,
    );
  }
  return text;
};

/** A room's rating as both sides see it. */
export const RoomRating = z.object({
  score: RatingScore,
  comment: z.string().nullable(),
  ratedAt: IsoDateTime,
});
export type RoomRating = z.infer<typeof RoomRating>;

// ---- REST bodies ----

/** `POST /chat/room/:id/rating` (the room's customer, once the room is closed) */
export const RateRoomBody = z.object({
  score: RatingScore,
  comment: z.string().max(FEEDBACK_LIMITS.commentHardCap).nullable().optional(),
});
/**
 * `POST /chat/room/:id/transcript` (the room's customer). Without an address, the verified
 * `email` of the customer's token is used.
 */
export const TranscriptBody = z.object({ email: EmailAddress.optional() }).default({});
/** `PUT /chat/room/:id/transcript-at-close`: opt in (or out, `enabled: false`) before the close. */
export const TranscriptAtCloseBody = z.object({
  enabled: z.boolean(),
  email: EmailAddress.optional(),
});

/** What `GET /chat/features` answers: which e-mail features this installation has on. */
export const MailFeatures = z.object({
  transcripts: z.boolean(),
  offlineNotices: z.boolean(),
});
export type MailFeatures = z.infer<typeof MailFeatures>;

// ---- NATS ----

export const RateRoom = RateRoomBody.extend({ roomId: Uuid });
export const RequestTranscript = z.object({ roomId: Uuid, email: EmailAddress });
export const SetTranscriptAtClose = z.object({
  roomId: Uuid,
  email: EmailAddress.nullable(),
});
export const TranscriptRequestResult = z.object({
  roomId: Uuid,
  requestId: Uuid,
  email: EmailAddress,
});
export const TranscriptAtCloseResult = z.object({ roomId: Uuid, email: EmailAddress.nullable() });

/** System only: a room's messages (never its private notes) for its transcript. */
export const GetTranscript = z.object({ roomId: Uuid, upToSeq: Seq.optional() });
export const TranscriptLine = z.object({
  seq: Seq.min(1),
  senderName: DisplayName,
  isFromSupport: z.boolean(),
  message: z.string(),
  attachmentNames: z.array(z.string()),
  createdAt: IsoDateTime,
});
export type TranscriptLine = z.infer<typeof TranscriptLine>;
export const Transcript = z.object({
  roomId: Uuid,
  customerName: DisplayName,
  agentName: DisplayName.nullable(),
  openedAt: IsoDateTime,
  closedAt: IsoDateTime.nullable(),
  lines: z.array(TranscriptLine),
  /** Messages beyond `transcriptMessagesMax` were left out. */
  truncated: z.boolean(),
});
export type Transcript = z.infer<typeof Transcript>;

/** System only: where to reach a room's customer (the address they gave in this room). */
export const GetRoomContact = z.object({ roomId: Uuid });
export const RoomContact = z.object({
  roomId: Uuid,
  customerId: UserId,
  customerName: DisplayName,
  email: EmailAddress.nullable(),
});
export type RoomContact = z.infer<typeof RoomContact>;

export const feedbackCommands = {
  rateRoom: { request: RateRoom, reply: RoomRating },
  requestTranscript: { request: RequestTranscript, reply: TranscriptRequestResult },
  setTranscriptAtClose: { request: SetTranscriptAtClose, reply: TranscriptAtCloseResult },
} as const;
export const feedbackQueries = {
  getTranscript: { request: GetTranscript, reply: Transcript },
  getRoomContact: { request: GetRoomContact, reply: RoomContact },
} as const;

/** Served by the notification service: whether it can send e-mail at all. */
export const mailQueries = {
  mailFeatures: { request: z.object({}), reply: MailFeatures },
} as const;
export type MailQueryName = keyof typeof mailQueries;

// ---- events ----

export const RoomRated = z.object({
  type: z.literal("RoomRated"),
  data: z.object({
    roomId: Uuid,
    customerId: UserId,
    score: RatingScore,
    comment: z.string().nullable(),
  }),
});
/**
 * The customer asked for the transcript (`requested`), or had opted in and the room closed
 * (`closed`). `upToSeq`: the last message the transcript covers.
 */
export const TranscriptRequested = z.object({
  type: z.literal("TranscriptRequested"),
  data: z.object({
    roomId: Uuid,
    requestId: Uuid,
    email: EmailAddress,
    reason: z.enum(["requested", "closed"]),
    upToSeq: Seq,
  }),
});
/** Opted in (an address) or out (null) of the transcript at close. */
export const TranscriptAtCloseChanged = z.object({
  type: z.literal("TranscriptAtCloseChanged"),
  data: z.object({ roomId: Uuid, email: EmailAddress.nullable() }),
});

// ---- socket ----

/** To support staff (the `agents` room) and the room's customer: the room was rated. */
export const RoomRatedPush = RoomRating.extend({ roomId: Uuid });

// ---- customer presence (Redis) ----

/**
 * Where gateways keep which customers have a socket, read by the notification service to tell
 * whether a customer is away. A socket counts while its gateway's `alive` key exists, so the
 * sockets of a gateway that died stop counting once its key expires.
 */
export const customerPresenceKeys = (namespace: string) => {
  const user = (userId: string) => `${namespace}:customer:${encodeURIComponent(userId)}`;
  return {
    /** SET of `<gatewayId>/<socketId>`. */
    sockets: (userId: string) => `${user(userId)}:sockets`,
    /** HASH: `connectedAt`, `disconnectedAt` (epoch ms), `email` (from the token, if any). */
    presence: (userId: string) => `${user(userId)}:presence`,
    gatewayAlive: (gatewayId: string) => `${namespace}:gateway:${gatewayId}:alive`,
  };
};
export const socketMember = (gatewayId: string, socketId: string): string =>
  `${gatewayId}/${socketId}`;
export const gatewayOfMember = (member: string): string =>
  member.slice(0, Math.max(0, member.lastIndexOf("/")));
