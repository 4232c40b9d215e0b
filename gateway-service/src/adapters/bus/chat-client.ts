import { chatCommands, chatQueries } from "@support-chat/contracts";
import { serviceClient, type BusDeps, type ServiceClient } from "./service-client.js";

export type { Caller } from "./service-client.js";

/** The chat service as the gateway sees it: rooms and messages. */
export type ChatClient = ServiceClient<typeof chatCommands, typeof chatQueries>;

export const createChatClient = (bus: BusDeps): ChatClient =>
  serviceClient(bus, {
    commands: chatCommands,
    queries: chatQueries,
    commandSubject: bus.subjects.command,
    querySubject: bus.subjects.query,
    metricPrefix: "",
  });
