import { clientEvents } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { requireSupportRole } from "../../domain/principal.js";
import type { AssignmentClient } from "../bus/assignment-client.js";
import { callerOf, parsePayload, respond } from "./respond.js";
import type { EventHandler } from "./types.js";

/** An agent sets their own status (available / busy / offline) with the assignment service. */
export const setStatus =
  ({ assignment, log }: { assignment: AssignmentClient; log: Logger }): EventHandler =>
  (socket, payload, ack) =>
    respond(ack, log, async () => {
      const { status } = parsePayload(clientEvents.setStatus.payload, payload);
      requireSupportRole(socket.data.principal);
      return assignment.command("setStatus", { status }, callerOf(socket));
    });
