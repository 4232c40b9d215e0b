import { webhookCommands, webhookQueries } from "@support-chat/contracts";
import { serviceClient, type BusDeps, type ServiceClient } from "./service-client.js";

/** Webhook subscriptions and their deliveries, kept by the notification service. */
export type WebhookClient = ServiceClient<typeof webhookCommands, typeof webhookQueries>;

export const createWebhookClient = (bus: BusDeps): WebhookClient =>
  serviceClient(bus, {
    commands: webhookCommands,
    queries: webhookQueries,
    commandSubject: bus.subjects.webhookCommand,
    querySubject: bus.subjects.webhookQuery,
    metricPrefix: "webhooks.",
  });
