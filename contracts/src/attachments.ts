import { z } from "zod";
import { DisplayName, isStorableText, NOT_STORABLE, Role, UserId, Uuid } from "./primitives.js";
import { normalizeMessageText } from "./text.js";

/**
 * Files and images sent in a conversation. The gateway stores the bytes (object storage, the
 * key is the attachment id, never the client's file name), the chat service records the
 * attachment in the room's log, and a message refers to attachments of its own room.
 */

/** Defaults the gateway applies unless ATTACHMENT_MAX_BYTES / ATTACHMENT_TYPES say otherwise. */
export const ATTACHMENT_DEFAULTS = {
  maxBytes: 10 * 1024 * 1024,
  types: ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"],
} as const;

/** Images the browser may show inline as a preview; everything else is a download. */
export const PREVIEW_IMAGE_TYPES: readonly string[] = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
];
export const isPreviewImage = (contentType: string): boolean =>
  PREVIEW_IMAGE_TYPES.includes(contentType);

/** The multipart field that carries the file. */
export const ATTACHMENT_FIELD = "file";
export const ATTACHMENT_NAME_MAX = 200;
/** Attachments one message may refer to. */
export const MESSAGE_ATTACHMENTS_MAX = 10;

// Path separators and control characters have no business in a name shown to people.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE_NAME = /[/\\\u0000-\u001f\u007f]/;

export const AttachmentName = z
  .string()
  .trim()
  .min(1)
  .max(ATTACHMENT_NAME_MAX)
  .refine(isStorableText, NOT_STORABLE)
  .refine((name) => !UNSAFE_NAME.test(name), "contains a path separator or a control character");

export const AttachmentContentType = z
  .string()
  .max(100)
  .regex(/^[a-z]+\/[a-z0-9.+-]+$/, "a lower-case media type such as image/png");

export const Sha256Hex = z.string().regex(/^[a-f0-9]{64}$/, "64 lower-case hex digits");

/** What messages, history and pushes carry about an attachment. */
export const AttachmentDescriptor = z.object({
  id: Uuid,
  name: AttachmentName,
  contentType: AttachmentContentType,
  size: z.number().int().min(1),
});
export type AttachmentDescriptor = z.infer<typeof AttachmentDescriptor>;

/** Ids of attachments a message refers to: distinct, at most MESSAGE_ATTACHMENTS_MAX. */
export const AttachmentRefs = z
  .array(Uuid)
  .max(MESSAGE_ATTACHMENTS_MAX)
  .refine((ids) => new Set(ids).size === ids.length, "an attachment is listed twice");

/** Bus command: the gateway stored the bytes; record the attachment in the room. */
export const RecordAttachment = z.object({
  roomId: Uuid,
  attachmentId: Uuid,
  name: AttachmentName,
  contentType: AttachmentContentType,
  size: z.number().int().min(1),
  sha256: Sha256Hex,
});
export type RecordAttachment = z.infer<typeof RecordAttachment>;

/** Bus query: an attachment of a room, for someone who may read the room. */
export const GetAttachment = z.object({ roomId: Uuid, attachmentId: Uuid });
/** What the gateway needs to serve the bytes. */
export const StoredAttachment = AttachmentDescriptor.extend({ roomId: Uuid, sha256: Sha256Hex });
export type StoredAttachment = z.infer<typeof StoredAttachment>;

/** Data of the `AttachmentUploaded` event. */
export const AttachmentUploadedData = z.object({
  roomId: Uuid,
  attachmentId: Uuid,
  name: AttachmentName,
  contentType: AttachmentContentType,
  size: z.number().int().min(1),
  sha256: Sha256Hex,
  uploaderId: UserId,
  uploaderName: DisplayName,
  uploaderRole: Role,
});

/** REST paths, relative to the API prefix. */
export const attachmentPaths = {
  upload: (roomId: string) => `/chat/room/${roomId}/attachments`,
  download: (roomId: string, attachmentId: string) =>
    `/chat/room/${roomId}/attachments/${attachmentId}`,
} as const;

/**
 * The text of a message that may carry attachments: with at least one attachment the text may
 * be empty; otherwise the usual rule for message text applies.
 */
export const normalizeMessageBody = (
  raw: string,
  maxLength: number,
  attachmentCount: number,
): string => (attachmentCount > 0 && raw.trim() === "" ? "" : normalizeMessageText(raw, maxLength));

/** A one-line stand-in for a message without text (room lists, new-request pushes). */
export const attachmentSummary = (attachments: readonly Pick<AttachmentDescriptor, "name">[]) =>
  attachments.map((a) => `📎 ${a.name}`).join(", ");
