import { Router } from "express";
import {
  CreateCannedResponseBody,
  DeleteCannedResponseQuery,
  DomainError,
  EditCannedResponseBody,
  Uuid,
} from "@support-chat/contracts";
import { requireSupportRole } from "../../domain/principal.js";
import type { CannedClient } from "../bus/canned-client.js";
import type { signedInEndpoint } from "./endpoint.js";
import { parseInput } from "./input.js";

export type CannedRoutesDeps = {
  endpoint: ReturnType<typeof signedInEndpoint>;
  canned: CannedClient;
};

const PATH = "/chat/support/canned-responses";

const cannedIdOf = (params: Record<string, string | string[] | undefined>): string => {
  const parsed = Uuid.safeParse(params["id"]);
  if (!parsed.success) {
    throw new DomainError("VALIDATION_FAILED", "the canned response id in the path must be a UUID");
  }
  return parsed.data;
};

/**
 * Canned responses. Customers are turned away here, before anything is asked of the chat
 * service; that only managers and admins change the catalog is the chat service's decision.
 */
export const cannedRoutes = ({ endpoint, canned }: CannedRoutesDeps) =>
  Router()
    .get(
      PATH,
      endpoint("listCannedResponses", async (_req, caller) => {
        requireSupportRole(caller.principal);
        const { responses } = await canned.query("listCannedResponses", {}, caller);
        return { body: responses };
      }),
    )
    .post(
      PATH,
      endpoint("createCannedResponse", async (req, caller) => {
        requireSupportRole(caller.principal);
        const fields = parseInput(CreateCannedResponseBody, req.body, "canned response");
        const created = await canned.command("createCannedResponse", fields, caller);
        return { status: 201, body: created };
      }),
    )
    .put(
      `${PATH}/:id`,
      endpoint("editCannedResponse", async (req, caller) => {
        requireSupportRole(caller.principal);
        const id = cannedIdOf(req.params);
        const change = parseInput(EditCannedResponseBody, req.body, "canned response");
        return { body: await canned.command("editCannedResponse", { id, ...change }, caller) };
      }),
    )
    .delete(
      `${PATH}/:id`,
      endpoint("deleteCannedResponse", async (req, caller) => {
        requireSupportRole(caller.principal);
        const id = cannedIdOf(req.params);
        const { version } = parseInput(DeleteCannedResponseQuery, req.query, "query");
        return { body: await canned.command("deleteCannedResponse", { id, version }, caller) };
      }),
    );
