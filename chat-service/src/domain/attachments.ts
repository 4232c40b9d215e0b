import {
  DomainError,
  isSupportRole,
  type Actor,
  type AttachmentDescriptor,
  type RoomEventBody,
} from "@support-chat/contracts";
import type { OpenRoom } from "./room.js";

/** The bytes are stored (under `attachmentId`); the room is to record them. */
export type RecordAttachmentData = Readonly<{
  roomId: string;
  attachmentId: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
}>;

/** Who may add attachments to a room: exactly who may post in it. */
export const mayPostIn = (actor: Actor, room: OpenRoom): boolean =>
  actor.role === "customer" ? actor.id === room.customerId : isSupportRole(actor.role);

/**
 * Records an attachment whose bytes the gateway has stored. The same attachment recorded again
 * (a retried request) changes nothing.
 */
export const recordAttachment = (
  actor: Actor,
  room: OpenRoom,
  data: RecordAttachmentData,
): RoomEventBody[] => {
  if (actor.role === "system" || !mayPostIn(actor, room)) {
    throw new DomainError("FORBIDDEN", `you may not add attachments to room ${room.roomId}`);
  }
  if (room.status === "closed") {
    throw new DomainError("ROOM_CLOSED", `room ${room.roomId} is closed`);
  }
  if (room.attachments.has(data.attachmentId)) return [];
  return [
    {
      type: "AttachmentUploaded",
      data: {
        roomId: room.roomId,
        attachmentId: data.attachmentId,
        name: data.name,
        contentType: data.contentType,
        size: data.size,
        sha256: data.sha256,
        uploaderId: actor.id,
        uploaderName: actor.name,
        uploaderRole: actor.role,
      },
    },
  ];
};

/**
 * The descriptors of the attachments a message refers to, in the order given. An id that is
 * not an attachment of this room is refused the same way whether it is unknown or another
 * room's, so a refusal says nothing about other rooms.
 */
export const attachmentsFor = (room: OpenRoom, ids: readonly string[]): AttachmentDescriptor[] => {
  if (new Set(ids).size !== ids.length) {
    throw new DomainError("VALIDATION_FAILED", "an attachment is listed twice");
  }
  return ids.map((id) => {
    const attachment = room.attachments.get(id);
    if (!attachment) {
      throw new DomainError(
        "VALIDATION_FAILED",
        `attachment ${id} is not an attachment of room ${room.roomId}`,
      );
    }
    return attachment;
  });
};
