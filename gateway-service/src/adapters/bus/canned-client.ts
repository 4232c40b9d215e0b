import { cannedCommands, cannedQueries } from "@support-chat/contracts";
import { serviceClient, type BusDeps, type ServiceClient } from "./service-client.js";

/** The chat service's canned responses as the gateway sees them. */
export type CannedClient = ServiceClient<typeof cannedCommands, typeof cannedQueries>;

export const createCannedClient = (bus: BusDeps): CannedClient =>
  serviceClient(bus, {
    commands: cannedCommands,
    queries: cannedQueries,
    commandSubject: bus.subjects.cannedCommand,
    querySubject: bus.subjects.cannedQuery,
    metricPrefix: "",
  });
