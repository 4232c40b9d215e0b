import { assignmentCommands, assignmentQueries } from "@support-chat/contracts";
import { serviceClient, type BusDeps, type ServiceClient } from "./service-client.js";

/**
 * The assignment service as the gateway sees it. It knows every agent's capacity, so claims,
 * transfers, capacities and agent statuses go through it, never straight to the chat service.
 */
export type AssignmentClient = ServiceClient<typeof assignmentCommands, typeof assignmentQueries>;

export const createAssignmentClient = (bus: BusDeps): AssignmentClient =>
  serviceClient(bus, {
    commands: assignmentCommands,
    queries: assignmentQueries,
    commandSubject: bus.subjects.assignmentCommand,
    querySubject: bus.subjects.assignmentQuery,
    metricPrefix: "assign.",
  });
