import { randomUUID } from "node:crypto";
import {
  webhookCommands,
  webhookQueries,
  type Actor,
  type ReplyOf,
  type RequestOf,
  type WebhookCommandName,
  type WebhookQueryName,
} from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";
import { uniqueName } from "@support-chat/test-support";
import type { Environment } from "./environment.js";

export const manager = (name: string): Actor => ({
  id: uniqueName(`manager-${name.toLowerCase()}-`),
  name,
  role: "manager",
});

/** The webhook operations as the gateway would send them, as any actor. */
export const webhookClient = (env: Environment) => {
  const commands = requesterFor({
    nc: env.nc,
    operations: webhookCommands,
    subjectOf: env.subjects.webhookCommand,
    timeoutMs: 5000,
  });
  const queries = requesterFor({
    nc: env.nc,
    operations: webhookQueries,
    subjectOf: env.subjects.webhookQuery,
    timeoutMs: 5000,
  });
  return {
    command: <K extends WebhookCommandName>(
      actor: Actor,
      name: K,
      payload: RequestOf<(typeof webhookCommands)[K]>,
    ): Promise<ReplyOf<(typeof webhookCommands)[K]>> =>
      commands(name, { actor, correlationId: randomUUID(), payload }),
    query: <K extends WebhookQueryName>(
      actor: Actor,
      name: K,
      payload: RequestOf<(typeof webhookQueries)[K]>,
    ): Promise<ReplyOf<(typeof webhookQueries)[K]>> =>
      queries(name, { actor, correlationId: randomUUID(), payload }),
  };
};
