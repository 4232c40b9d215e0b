import { Router } from "express";
import {
  CreateWebhookBody,
  DomainError,
  isManagerRole,
  UpdateWebhookBody,
  Uuid,
  WebhookDeliveriesQuery,
} from "@support-chat/contracts";
import type { Principal } from "../../domain/principal.js";
import type { WebhookClient } from "../bus/webhook-client.js";
import type { signedInEndpoint } from "./endpoint.js";
import { parseInput } from "./input.js";

export type WebhookRoutesDeps = {
  endpoint: ReturnType<typeof signedInEndpoint>;
  webhooks: WebhookClient;
};

/** Turned away here first; the notification service checks again. */
const requireManager = (principal: Principal): void => {
  if (!isManagerRole(principal.role)) {
    throw new DomainError("FORBIDDEN", "only managers and admins may manage webhooks");
  }
};

const webhookIdOf = (params: Record<string, string | string[] | undefined>): string => {
  const parsed = Uuid.safeParse(params["id"]);
  if (!parsed.success) {
    throw new DomainError("VALIDATION_FAILED", "the webhook id in the path must be a UUID");
  }
  return parsed.data;
};

const BASE = "/chat/support/webhooks";

/**
 * Webhooks for managers and admins: register endpoints for chosen event types, change or
 * delete them, rotate their signing secret, send a test event and see recent deliveries.
 */
export const webhookRoutes = ({ endpoint, webhooks }: WebhookRoutesDeps) =>
  Router()
    .get(
      BASE,
      endpoint("listWebhooks", async (_req, caller) => {
        requireManager(caller.principal);
        return { body: (await webhooks.query("listWebhooks", {}, caller)).webhooks };
      }),
    )
    .post(
      BASE,
      endpoint("createWebhook", async (req, caller) => {
        requireManager(caller.principal);
        const body = parseInput(CreateWebhookBody, req.body, "webhook");
        return { status: 201, body: await webhooks.command("createWebhook", body, caller) };
      }),
    )
    .get(
      `${BASE}/:id`,
      endpoint("getWebhook", async (req, caller) => {
        requireManager(caller.principal);
        const id = webhookIdOf(req.params);
        return { body: await webhooks.query("getWebhook", { id }, caller) };
      }),
    )
    .patch(
      `${BASE}/:id`,
      endpoint("updateWebhook", async (req, caller) => {
        requireManager(caller.principal);
        const id = webhookIdOf(req.params);
        const changes = parseInput(UpdateWebhookBody, req.body, "webhook changes");
        return { body: await webhooks.command("updateWebhook", { id, changes }, caller) };
      }),
    )
    .delete(
      `${BASE}/:id`,
      endpoint("deleteWebhook", async (req, caller) => {
        requireManager(caller.principal);
        const id = webhookIdOf(req.params);
        return { body: await webhooks.command("deleteWebhook", { id }, caller) };
      }),
    )
    .get(
      `${BASE}/:id/deliveries`,
      endpoint("listWebhookDeliveries", async (req, caller) => {
        requireManager(caller.principal);
        const id = webhookIdOf(req.params);
        const query = parseInput(WebhookDeliveriesQuery, req.query, "query");
        const { deliveries } = await webhooks.query(
          "listWebhookDeliveries",
          { id, ...query },
          caller,
        );
        return { body: deliveries };
      }),
    )
    .post(
      `${BASE}/:id/rotate-secret`,
      endpoint("rotateWebhookSecret", async (req, caller) => {
        requireManager(caller.principal);
        const id = webhookIdOf(req.params);
        return { body: await webhooks.command("rotateWebhookSecret", { id }, caller) };
      }),
    )
    .post(
      `${BASE}/:id/test`,
      endpoint("sendTestWebhook", async (req, caller) => {
        requireManager(caller.principal);
        const id = webhookIdOf(req.params);
        return { status: 202, body: await webhooks.command("sendTestWebhook", { id }, caller) };
      }),
    );
