import { DomainError, type chatCommands, type chatQueries } from "@support-chat/contracts";
import type { Handler } from "@support-chat/service-kit";
import { assertMaySeeRoom } from "../../domain/access.js";
import type { RoomDecider } from "../../domain/decide.js";
import { roomExists } from "../../domain/room.js";
import type { EventStore } from "../store/event-store.js";
import { runRoomCommand } from "./room-commands.js";
import type { ReadModel } from "../store/read-model.js";

type Deps = { store: EventStore; decider: RoomDecider; now: () => Date };

/** Records an attachment the gateway has stored; answers with its descriptor. */
export const recordAttachmentHandler =
  (deps: Deps): Handler<(typeof chatCommands)["recordAttachment"]> =>
  async (request) => {
    const { payload } = request;
    const { state } = await runRoomCommand(deps, request, payload.roomId, (metadata) => ({
      type: "RecordAttachment",
      data: payload,
      metadata,
    }));
    const attachment = roomExists(state) ? state.attachments.get(payload.attachmentId) : undefined;
    if (!attachment) {
      throw new DomainError("INTERNAL", `attachment ${payload.attachmentId} was not recorded`);
    }
    return attachment;
  };

/**
 * An attachment for someone who may read its room. Another room's attachment asked for with
 * this room's id is not found, exactly like an id that does not exist.
 */
export const getAttachmentHandler =
  (read: ReadModel): Handler<(typeof chatQueries)["getAttachment"]> =>
  async ({ actor, payload }) => {
    const room = await read.room(payload.roomId);
    if (!room) throw new DomainError("NOT_FOUND", `room ${payload.roomId} does not exist`);
    assertMaySeeRoom(actor, room);
    const row = await read.attachment(payload.roomId, payload.attachmentId);
    if (!row) {
      throw new DomainError(
        "NOT_FOUND",
        `attachment ${payload.attachmentId} does not exist in room ${payload.roomId}`,
      );
    }
    return {
      id: row.id,
      roomId: row.chatRoomId,
      name: row.name,
      contentType: row.contentType,
      size: row.size,
      sha256: row.sha256,
    };
  };
