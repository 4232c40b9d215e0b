import { DomainError, sideOf, type chatQueries } from "@support-chat/contracts";
import type { Handlers } from "@support-chat/service-kit";
import { assertMaySeeRoom, assertSupportOrSystem, assertSystem } from "../../domain/access.js";
import { ACTIVE_STATUSES, type ReadModel } from "../store/read-model.js";
import { messageView, roomView } from "../store/views.js";
import { getAttachmentHandler } from "./attachment-handlers.js";
import { feedbackQueryHandlers } from "./feedback-handlers.js";
import { reportQueryHandlers } from "./report-handlers.js";
import { noteAndSearchQueries } from "./notes-labels-search-handlers.js";

export const queryHandlers = (
  read: ReadModel,
  now: () => Date = () => new Date(),
): Handlers<typeof chatQueries> => {
  const existingRoom = async (roomId: string) => {
    const row = await read.room(roomId);
    if (!row) throw new DomainError("NOT_FOUND", `room ${roomId} does not exist`);
    return row;
  };

  return {
    getRoom: async ({ actor, payload }) => {
      const row = await existingRoom(payload.roomId);
      assertMaySeeRoom(actor, row);
      return roomView(row, sideOf(actor.role));
    },

    getRoomViews: async ({ actor, payload }) => {
      assertSystem(actor, "read both sides of a room");
      const row = await existingRoom(payload.roomId);
      return {
        customer: roomView(row, "customer"),
        support: roomView(row, "support"),
        version: row.version,
      };
    },

    listMessages: async ({ actor, payload }) => {
      const { roomId, after, before, limit } = payload;
      if (after !== undefined && before !== undefined) {
        throw new DomainError("VALIDATION_FAILED", "use either after or before, not both");
      }
      const row = await existingRoom(roomId);
      assertMaySeeRoom(actor, row);
      const page = await read.messages(roomId, { after, before, limit });
      return { messages: page.rows.map(messageView), hasMore: page.hasMore, lastSeq: row.lastSeq };
    },

    ...noteAndSearchQueries(read),

    listSupportRooms: async ({ actor, payload }) => {
      assertSupportOrSystem(actor, "list support rooms");
      const rows = await read.supportRooms({
        status: payload.status ?? ACTIVE_STATUSES,
        assignedTo: payload.assignedTo,
        label: payload.label,
        limit: payload.limit,
      });
      return { rooms: rows.map((row) => roomView(row, "support")) };
    },

    getAttachment: getAttachmentHandler(read),

    ...reportQueryHandlers(read, now),

    ...feedbackQueryHandlers(read),
  };
};
