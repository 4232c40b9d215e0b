import { randomUUID } from "node:crypto";
import {
  DomainError,
  type CannedResponse,
  type cannedCommands,
  type cannedQueries,
  type RequestEnvelope,
} from "@support-chat/contracts";
import type { Handlers } from "@support-chat/service-kit";
import { assertMayListCanned, decideCanned, type CannedCommand } from "../../domain/canned.js";
import type { CannedResponseRow } from "../store/canned-schema.js";
import type { CannedStore } from "../store/canned-store.js";
import { contextOf } from "./room-commands.js";

export const cannedView = (row: CannedResponseRow): CannedResponse => ({
  id: row.id,
  title: row.title,
  shortcut: row.shortcut,
  text: row.text,
  version: row.version,
  updatedAt: row.updatedAt.toISOString(),
  updatedByName: row.updatedByName,
});

type Deps = { canned: CannedStore; now: () => Date };

export const cannedCommandHandlers = ({ canned, now }: Deps): Handlers<typeof cannedCommands> => {
  /** Runs one command against canned response `id`; returns what its transaction left. */
  const run = (
    request: RequestEnvelope<unknown>,
    id: string,
    data: (meta: CannedCommand["metadata"]) => CannedCommand,
  ) => {
    const command = data({ actor: request.actor });
    return canned.handle(
      id,
      (state, catalog) => decideCanned(command, state, catalog),
      contextOf(request, now()),
    );
  };

  const viewOf = (row: CannedResponseRow | undefined, id: string) => {
    if (!row) throw new DomainError("INTERNAL", `canned response ${id} was not stored`);
    return cannedView(row);
  };

  return {
    createCannedResponse: async (request) => {
      const id = randomUUID();
      const { row } = await run(request, id, (metadata) => ({
        type: "CreateCannedResponse",
        data: { id, ...request.payload },
        metadata,
      }));
      return viewOf(row, id);
    },

    editCannedResponse: async (request) => {
      const { id, version, title, shortcut, text } = request.payload;
      const { row } = await run(request, id, (metadata) => ({
        type: "EditCannedResponse",
        data: { id, expectedVersion: version, title, shortcut, text },
        metadata,
      }));
      return viewOf(row, id);
    },

    deleteCannedResponse: async (request) => {
      const { id, version } = request.payload;
      const { state } = await run(request, id, (metadata) => ({
        type: "DeleteCannedResponse",
        data: { id, expectedVersion: version },
        metadata,
      }));
      return { id, version: state.version };
    },
  };
};

export const cannedQueryHandlers = ({ canned }: Deps): Handlers<typeof cannedQueries> => ({
  listCannedResponses: async ({ actor }) => {
    assertMayListCanned(actor);
    return { responses: (await canned.list()).map(cannedView) };
  },
});
