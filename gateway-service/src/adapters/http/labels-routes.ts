import { Router } from "express";
import { AddLabelBody, DomainError, LABEL_LIMITS, normalizeLabel } from "@support-chat/contracts";
import { requireSupportRole } from "../../domain/principal.js";
import type { ChatClient } from "../bus/chat-client.js";
import type { signedInEndpoint } from "./endpoint.js";
import { parseInput, roomIdOf } from "./input.js";

export type LabelsRoutesDeps = {
  endpoint: ReturnType<typeof signedInEndpoint>;
  chat: ChatClient;
};

const labelOf = (params: Record<string, string | string[] | undefined>): string => {
  const raw = params["label"];
  if (typeof raw !== "string" || raw.length > LABEL_LIMITS.rawMaxLength) {
    throw new DomainError("VALIDATION_FAILED", "the label in the path is missing or too long");
  }
  return normalizeLabel(raw);
};

/** Labels on rooms: support staff add and remove them; both answer with the room. */
export const labelsRoutes = ({ endpoint, chat }: LabelsRoutesDeps) =>
  Router()
    .post(
      "/chat/support/room/:id/labels",
      endpoint("addLabel", async (req, caller) => {
        requireSupportRole(caller.principal);
        const roomId = roomIdOf(req.params);
        const label = normalizeLabel(parseInput(AddLabelBody, req.body, "label").label);
        return { body: await chat.command("addLabel", { roomId, label }, caller) };
      }),
    )
    .delete(
      "/chat/support/room/:id/labels/:label",
      endpoint("removeLabel", async (req, caller) => {
        requireSupportRole(caller.principal);
        const roomId = roomIdOf(req.params);
        const label = labelOf(req.params);
        return { body: await chat.command("removeLabel", { roomId, label }, caller) };
      }),
    );
