import { Router } from "express";
import { AddNoteBody, normalizeNoteText } from "@support-chat/contracts";
import { requireSupportRole } from "../../domain/principal.js";
import type { ChatClient } from "../bus/chat-client.js";
import type { RateLimits } from "../redis/rate-limits.js";
import type { signedInEndpoint } from "./endpoint.js";
import { parseInput, roomIdOf } from "./input.js";

export type NotesRoutesDeps = {
  endpoint: ReturnType<typeof signedInEndpoint>;
  chat: ChatClient;
  limits: RateLimits;
};

/**
 * Private notes: support staff only, under the support prefix. Customers are turned away here,
 * and again by the chat service; no customer route reads the notes' table at all.
 */
export const notesRoutes = ({ endpoint, chat, limits }: NotesRoutesDeps) =>
  Router()
    .get(
      "/chat/support/room/:id/notes",
      endpoint("listNotes", async (req, caller) => {
        requireSupportRole(caller.principal);
        const roomId = roomIdOf(req.params);
        const { notes } = await chat.query("listNotes", { roomId }, caller);
        return { body: notes };
      }),
    )
    .post(
      "/chat/support/room/:id/notes",
      endpoint("addNote", async (req, caller) => {
        requireSupportRole(caller.principal);
        const roomId = roomIdOf(req.params);
        const body = parseInput(AddNoteBody, req.body, "note");
        const text = normalizeNoteText(body.text);
        // Notes are written like messages, so they share the sender's message budget.
        await limits.message(caller.principal.id);
        const note = await chat.command(
          "addNote",
          { roomId, clientNoteId: body.clientNoteId, text },
          caller,
        );
        return { status: 201, body: note };
      }),
    );
