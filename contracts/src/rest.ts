import { z } from "zod";
import { ClientMessageId, DisplayName, Role, RoomStatus, Seq, UserId } from "./primitives.js";
import { LIMITS } from "./limits.js";
import { MESSAGE_HARD_CAP } from "./bus.js";
import { ErrorBody } from "./errors.js";
import { AttachmentRefs } from "./attachments.js";

/** REST lives under this prefix on the gateway; routes below are relative to it. */
export const API_PREFIX = "/api";

const intFromQuery = z.coerce.number().int();

/** `GET /chat/room/:id/messages?after=<seq>&before=<seq>&limit=<n>` */
export const MessagesQuery = z
  .object({
    after: intFromQuery.min(0).optional(),
    before: intFromQuery.min(1).optional(),
    limit: intFromQuery.min(1).max(LIMITS.messagePageMax).optional(),
  })
  .refine((q) => q.after === undefined || q.before === undefined, {
    message: "use either after or before, not both",
  });

/** `GET /chat/support/rooms?status=waiting,open&mine=true&limit=<n>` */
export const SupportRoomsQuery = z.object({
  status: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()))
    .pipe(z.array(RoomStatus).min(1))
    .optional(),
  mine: z.enum(["true", "false"]).optional(),
  /** Only rooms with this label (normalised like any label). */
  label: z.string().max(200).optional(),
  limit: intFromQuery.min(1).max(LIMITS.roomListMax).optional(),
});

/** `POST /chat/room/:id/messages` (additive: send without a socket) */
export const PostMessageBody = z.object({
  message: z.string().max(MESSAGE_HARD_CAP),
  clientMessageId: ClientMessageId,
  attachments: AttachmentRefs.optional(),
});
/** `POST /chat/room/:id/read` */
export const MarkReadBody = z.object({ upToSeq: Seq.optional() }).default({});
/** `POST /chat/support/room/:id/transfer` */
export const TransferBody = z.object({ agentId: UserId });

/** `PUT /chat/support/agents/:agentId/capacity` (managers and admins); null = back to the default */
export const CapacityBody = z.object({ maxChats: z.number().int().min(0).max(50).nullable() });

/** `POST /api/auth/dev-token` (only with AUTH_DEV_LOGIN=true; never in production) */
export const DevTokenBody = z.object({
  name: DisplayName,
  role: Role,
  /** Optional stable id; by default the same name and role always get the same id. */
  userId: UserId.optional(),
});
export const DevTokenResponse = z.object({
  token: z.string(),
  user: z.object({ id: UserId, name: DisplayName, role: Role }),
  expiresAt: z.iso.datetime(),
});

/** The body of every REST error response. */
export const RestError = z.object({ error: ErrorBody });

/** Claims the gateway reads from a verified token. */
export const TokenClaims = z.object({
  sub: UserId,
  name: DisplayName,
  role: Role,
  exp: z.number().int(),
});
export type TokenClaims = z.infer<typeof TokenClaims>;
