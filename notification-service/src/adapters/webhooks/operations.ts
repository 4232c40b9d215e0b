import { randomUUID } from "node:crypto";
import {
  DomainError,
  WEBHOOK_TEST_EVENT_TYPE,
  WEBHOOKS_PER_INSTALLATION_MAX,
  type Actor,
  type webhookCommands,
  type webhookQueries,
  type WebhookSubscription,
} from "@support-chat/contracts";
import type { Handlers } from "@support-chat/service-kit";
import { testBody } from "../../domain/webhooks/payload.js";
import {
  checkWebhookUrl,
  newSecret,
  normalizeEventTypes,
  requireManager,
  type UrlPolicy,
} from "../../domain/webhooks/subscriptions.js";
import type { SubscriptionChanges, WebhookStore } from "./store.js";

const DEFAULT_DELIVERY_PAGE = 50;

type Deps = {
  store: WebhookStore;
  urlPolicy: UrlPolicy;
  randomBytes: (n: number) => Uint8Array;
  /** A delivery was queued: send it without waiting for the next poll. */
  queued: () => void;
  now: () => Date;
};

const notFound = (id: string) => new DomainError("NOT_FOUND", `webhook ${id} does not exist`);

const found = (subscription: WebhookSubscription | undefined, id: string) => {
  if (!subscription) throw notFound(id);
  return subscription;
};

/** The bus operations on webhooks: managers and admins only, checked before anything is read. */
export const webhookHandlers = (deps: Deps) => {
  const { store, urlPolicy } = deps;
  const asManager = (actor: Actor) => requireManager(actor);

  const commands: Handlers<typeof webhookCommands> = {
    createWebhook: async ({ actor, payload }) => {
      asManager(actor);
      const url = checkWebhookUrl(payload.url, urlPolicy);
      if ((await store.countSubscriptions()) >= WEBHOOKS_PER_INSTALLATION_MAX) {
        throw new DomainError(
          "CONFLICT",
          `there are already ${WEBHOOKS_PER_INSTALLATION_MAX} webhooks; delete one first`,
        );
      }
      return store.insertSubscription({
        url,
        eventTypes: normalizeEventTypes(payload.eventTypes),
        secret: newSecret(deps.randomBytes),
        active: payload.active ?? true,
        createdBy: { id: actor.id, name: actor.name },
        now: deps.now(),
      });
    },

    updateWebhook: async ({ actor, payload }) => {
      asManager(actor);
      const { url, eventTypes, active } = payload.changes;
      const changes: SubscriptionChanges = {
        ...(url !== undefined ? { url: checkWebhookUrl(url, urlPolicy) } : {}),
        ...(eventTypes !== undefined ? { eventTypes: normalizeEventTypes(eventTypes) } : {}),
        ...(active !== undefined ? { active } : {}),
      };
      const updated = await store.updateSubscription(payload.id, changes, deps.now());
      if (active) deps.queued();
      return found(updated, payload.id);
    },

    deleteWebhook: async ({ actor, payload }) => {
      asManager(actor);
      if (!(await store.deleteSubscription(payload.id))) throw notFound(payload.id);
      return { id: payload.id, deleted: true as const };
    },

    rotateWebhookSecret: async ({ actor, payload }) => {
      asManager(actor);
      const secret = newSecret(deps.randomBytes);
      return found(await store.updateSubscription(payload.id, { secret }, deps.now()), payload.id);
    },

    sendTestWebhook: async ({ actor, payload }) => {
      asManager(actor);
      const subscription = found(await store.getSubscription(payload.id), payload.id);
      if (!subscription.active) {
        throw new DomainError("CONFLICT", "the webhook is inactive; activate it to send a test");
      }
      const eventId = randomUUID();
      const now = deps.now();
      const delivery = await store.queueOne({
        subscriptionId: payload.id,
        eventId,
        type: WEBHOOK_TEST_EVENT_TYPE,
        body: testBody({ eventId, subscriptionId: payload.id, now }),
        now,
      });
      deps.queued();
      return delivery;
    },
  };

  const queries: Handlers<typeof webhookQueries> = {
    listWebhooks: async ({ actor }) => {
      asManager(actor);
      return { webhooks: await store.listSubscriptions() };
    },

    getWebhook: async ({ actor, payload }) => {
      asManager(actor);
      return found(await store.getSubscription(payload.id), payload.id);
    },

    listWebhookDeliveries: async ({ actor, payload }) => {
      asManager(actor);
      found(await store.getSubscription(payload.id), payload.id);
      const deliveries = await store.listDeliveries(payload.id, {
        status: payload.status,
        limit: payload.limit ?? DEFAULT_DELIVERY_PAGE,
      });
      return { deliveries };
    },
  };

  return { commands, queries };
};
