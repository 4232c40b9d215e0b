import { Router } from "express";
import {
  CapacityBody,
  normalizeLabel,
  SupportRoomsQuery,
  TransferBody,
} from "@support-chat/contracts";
import { requireSupportRole } from "../../domain/principal.js";
import type { AssignmentClient } from "../bus/assignment-client.js";
import type { ChatClient } from "../bus/chat-client.js";
import type { signedInEndpoint } from "./endpoint.js";
import { agentIdOf, parseInput, roomIdOf } from "./input.js";

export type SupportRoutesDeps = {
  endpoint: ReturnType<typeof signedInEndpoint>;
  chat: ChatClient;
  assignment: AssignmentClient;
};

/**
 * The support console's routes. Customers are turned away here, before anything is asked of
 * another service. Which agent may do what to a room is the chat service's decision; claims,
 * transfers and capacities go through the assignment service, which knows every agent's load
 * and capacity and passes the limit on to the chat service.
 */
export const supportRoutes = ({ endpoint, chat, assignment }: SupportRoutesDeps) =>
  Router()
    .get(
      "/chat/support/rooms",
      endpoint("listSupportRooms", async (req, caller) => {
        requireSupportRole(caller.principal);
        const query = parseInput(SupportRoomsQuery, req.query, "query");
        const { rooms } = await chat.query(
          "listSupportRooms",
          {
            status: query.status,
            assignedTo: query.mine === "true" ? caller.principal.id : undefined,
            label: query.label === undefined ? undefined : normalizeLabel(query.label),
            limit: query.limit,
          },
          caller,
        );
        return { body: rooms };
      }),
    )
    .post(
      "/chat/support/room/:id/assign",
      endpoint("claimRoom", async (req, caller) => {
        requireSupportRole(caller.principal);
        const roomId = roomIdOf(req.params);
        return { body: await assignment.command("claimRoom", { roomId }, caller) };
      }),
    )
    .post(
      "/chat/support/room/:id/transfer",
      endpoint("transferRoom", async (req, caller) => {
        requireSupportRole(caller.principal);
        const roomId = roomIdOf(req.params);
        const { agentId } = parseInput(TransferBody, req.body, "transfer");
        return { body: await assignment.command("transferRoom", { roomId, agentId }, caller) };
      }),
    )
    .get(
      "/chat/support/agents",
      endpoint("listAgents", async (_req, caller) => {
        requireSupportRole(caller.principal);
        const { agents } = await assignment.query("listAgents", {}, caller);
        return { body: agents };
      }),
    )
    .put(
      "/chat/support/agents/:agentId/capacity",
      endpoint("setCapacity", async (req, caller) => {
        // Agents pass here; only managers and admins get past the assignment service.
        requireSupportRole(caller.principal);
        const agentId = agentIdOf(req.params);
        const { maxChats } = parseInput(CapacityBody, req.body, "capacity");
        return { body: await assignment.command("setCapacity", { agentId, maxChats }, caller) };
      }),
    );
