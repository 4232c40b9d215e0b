import type {
  CreateWebhookBody,
  DeliveryStatus,
  UpdateWebhookBody,
  WebhookDelivery,
  WebhookSubscription,
} from "@support-chat/contracts";
import { call } from "./api.js";

const BASE = "/chat/support/webhooks";
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

/** The managers' webhook routes on the gateway. */
export const webhooksApi = {
  list: async (): Promise<WebhookSubscription[]> =>
    (await call<WebhookSubscription[]>("GET", BASE)).data,

  create: async (body: CreateWebhookBody): Promise<WebhookSubscription> =>
    (await call<WebhookSubscription>("POST", BASE, body)).data,

  update: async (id: string, changes: UpdateWebhookBody): Promise<WebhookSubscription> =>
    (await call<WebhookSubscription>("PATCH", one(id), changes)).data,

  remove: async (id: string): Promise<void> => {
    await call("DELETE", one(id));
  },

  rotateSecret: async (id: string): Promise<WebhookSubscription> =>
    (await call<WebhookSubscription>("POST", `${one(id)}/rotate-secret`)).data,

  sendTest: async (id: string): Promise<WebhookDelivery> =>
    (await call<WebhookDelivery>("POST", `${one(id)}/test`)).data,

  deliveries: async (id: string, status?: DeliveryStatus): Promise<WebhookDelivery[]> => {
    const query = new URLSearchParams({ limit: "50", ...(status ? { status } : {}) });
    return (await call<WebhookDelivery[]>("GET", `${one(id)}/deliveries?${query}`)).data;
  },
};
