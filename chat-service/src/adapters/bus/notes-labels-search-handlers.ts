import { randomUUID } from "node:crypto";
import {
  DomainError,
  isSupportRole,
  type Actor,
  type chatCommands,
  type chatQueries,
  type RequestEnvelope,
} from "@support-chat/contracts";
import type { Handlers } from "@support-chat/service-kit";
import type { RoomCommand, RoomDecider } from "../../domain/decide.js";
import { messageKey, roomExists } from "../../domain/room.js";
import type { EventStore } from "../store/event-store.js";
import { runRoomCommand } from "./room-commands.js";
import { noteView, searchHitView } from "../store/notes-search-views.js";
import type { ReadModel } from "../store/read-model.js";
import { roomView } from "../store/views.js";

type Deps = { store: EventStore; read: ReadModel; decider: RoomDecider; now: () => Date };

/** Notes, labels and search are support staff's tools; customers and services are refused. */
const assertSupport = (actor: Actor, what: string): void => {
  if (actor.role === "system" || !isSupportRole(actor.role)) {
    throw new DomainError("FORBIDDEN", `only support staff may ${what}`);
  }
};

export const noteAndLabelCommands = (
  deps: Deps,
): Pick<Handlers<typeof chatCommands>, "addNote" | "addLabel" | "removeLabel"> => {
  const run = (
    request: RequestEnvelope<unknown>,
    roomId: string,
    build: (metadata: RoomCommand["metadata"]) => RoomCommand,
  ) => runRoomCommand(deps, request, roomId, build);

  const supportView = async (roomId: string) => {
    const row = await deps.read.room(roomId);
    if (!row) throw new DomainError("NOT_FOUND", `room ${roomId} does not exist`);
    return roomView(row, "support");
  };

  const changeLabel =
    (type: "AddLabel" | "RemoveLabel") =>
    async (request: RequestEnvelope<{ roomId: string; label: string }>) => {
      const { roomId, label } = request.payload;
      await run(request, roomId, (metadata) => ({ type, data: { roomId, label }, metadata }));
      return supportView(roomId);
    };

  return {
    addNote: async (request) => {
      const { roomId, clientNoteId, text } = request.payload;
      const { state } = await run(request, roomId, (metadata) => ({
        type: "AddNote",
        data: { roomId, noteId: randomUUID(), clientNoteId, text },
        metadata,
      }));
      const noteId = roomExists(state)
        ? state.notes.get(messageKey(request.actor.id, clientNoteId))
        : undefined;
      const row = noteId && (await deps.read.note(noteId));
      if (!row) throw new DomainError("INTERNAL", `note ${clientNoteId} was not stored`);
      return noteView(row);
    },
    addLabel: changeLabel("AddLabel"),
    removeLabel: changeLabel("RemoveLabel"),
  };
};

export const noteAndSearchQueries = (
  read: ReadModel,
): Pick<Handlers<typeof chatQueries>, "listNotes" | "searchConversations"> => ({
  listNotes: async ({ actor, payload }) => {
    assertSupport(actor, "read private notes");
    if (!(await read.room(payload.roomId))) {
      throw new DomainError("NOT_FOUND", `room ${payload.roomId} does not exist`);
    }
    return { notes: (await read.notes(payload.roomId)).map(noteView) };
  },

  searchConversations: async ({ actor, payload }) => {
    assertSupport(actor, "search conversations");
    const { rows, hasMore } = await read.search(payload);
    return { results: rows.map(searchHitView), hasMore };
  },
});
