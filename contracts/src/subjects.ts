import type { ChatCommandName, ChatQueryName } from "./bus.js";
import type { DomainEventType } from "./events.js";
import type { CannedCommandName, CannedQueryName } from "./canned.js";
import type { AssignmentCommandName, AssignmentQueryName } from "./assignment.js";
import type { WebhookCommandName, WebhookQueryName } from "./webhooks.js";
import type { MailQueryName } from "./feedback.js";

const NAMESPACE = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * NATS subject names. The namespace (NATS_NAMESPACE, default "chat") lets several
 * installations, or parallel test runs, share one NATS server without hearing each other.
 */
export const subjectsFor = (namespace = "chat") => {
  if (!NAMESPACE.test(namespace)) {
    throw new Error(`NATS namespace "${namespace}" must match ${NAMESPACE.source}`);
  }
  return {
    namespace,
    command: (name: ChatCommandName) => `${namespace}.cmd.${name}`,
    query: (name: ChatQueryName) => `${namespace}.query.${name}`,
    /** Canned responses, served by the chat service beside its room commands and queries. */
    cannedCommand: (name: CannedCommandName) => `${namespace}.cmd.${name}`,
    cannedQuery: (name: CannedQueryName) => `${namespace}.query.${name}`,
    /** Every domain event is published on `<ns>.events.<Type>`. */
    event: (type: DomainEventType) => `${namespace}.events.${type}`,
    allEvents: `${namespace}.events.>`,
    /** JetStream stream holding the domain events. */
    eventStream: `${namespace.toUpperCase().replace(/-/g, "_")}_EVENTS`,
    assignmentCommand: (name: AssignmentCommandName) => `${namespace}.assign.cmd.${name}`,
    assignmentQuery: (name: AssignmentQueryName) => `${namespace}.assign.query.${name}`,
    /** Gateways → assignment service: agent sockets and heartbeats (plain NATS, not persisted). */
    presenceSocket: `${namespace}.presence.socket`,
    presenceHeartbeat: `${namespace}.presence.heartbeat`,
    /** Assignment service → notification service: queue and agent changes to push. */
    queueUpdated: `${namespace}.assign.queue`,
    agentUpdated: `${namespace}.assign.agent`,
    /** Webhook subscriptions and deliveries, served by the notification service. */
    webhookCommand: (name: WebhookCommandName) => `${namespace}.webhooks.cmd.${name}`,
    webhookQuery: (name: WebhookQueryName) => `${namespace}.webhooks.query.${name}`,
    /** E-mail features, answered by the notification service. */
    mailQuery: (name: MailQueryName) => `${namespace}.mail.query.${name}`,
    /** Queue groups: replicas of one service share the work. */
    queueGroup: (service: string) => `${namespace}-${service}`,
  } as const;
};
export type Subjects = ReturnType<typeof subjectsFor>;
