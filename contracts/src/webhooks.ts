import { z } from "zod";
import { ROOM_EVENT_TYPES, type RoomEventType } from "./events.js";
import { DisplayName, IsoDateTime, UserId, Uuid } from "./primitives.js";

/**
 * Webhooks: managers register HTTPS endpoints for chosen domain event types; the notification
 * service posts each matching event to them, signed, retried until it gets a 2xx.
 */

/** The event types a subscription may choose: every domain event the chat service records. */
export const WebhookEventType = z.enum(ROOM_EVENT_TYPES as [RoomEventType, ...RoomEventType[]]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** The type of the event "send test event" posts; never recorded in the log. */
export const WEBHOOK_TEST_EVENT_TYPE = "WebhookTest";

/** Headers every delivery carries. */
export const WEBHOOK_HEADERS = {
  /** The event id: the same on every retry, so receivers deduplicate by it. */
  id: "Webhook-Id",
  /** Unix seconds when this attempt was signed. */
  timestamp: "Webhook-Timestamp",
  /** `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>` */
  signature: "Webhook-Signature",
} as const;

export const WEBHOOK_URL_MAX = 2048;
export const WEBHOOKS_PER_INSTALLATION_MAX = 100;
export const WEBHOOK_DELIVERY_PAGE_MAX = 200;

/**
 * An absolute http(s) URL without credentials. Whether plain http or private addresses are
 * allowed is the notification service's configuration; it checks that on top of this.
 */
export const WebhookUrl = z
  .string()
  .trim()
  .min(1)
  .max(WEBHOOK_URL_MAX)
  .pipe(z.url({ protocol: /^https?$/, message: "an absolute http(s) URL" }))
  .refine((url) => {
    // Runs after a failed URL check too; that one already reports what is wrong.
    if (!URL.canParse(url)) return true;
    const parsed = new URL(url);
    return parsed.username === "" && parsed.password === "";
  }, "credentials in the URL are refused; authenticate with the signature instead");

const EventTypes = z
  .array(WebhookEventType)
  .min(1, "choose at least one event type")
  .max(ROOM_EVENT_TYPES.length * 2);

export const WebhookSubscription = z.object({
  id: Uuid,
  url: z.string(),
  eventTypes: z.array(WebhookEventType),
  /** The signing key; shown to managers so they can configure their receiver. */
  secret: z.string(),
  active: z.boolean(),
  createdBy: z.object({ id: UserId, name: DisplayName }),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type WebhookSubscription = z.infer<typeof WebhookSubscription>;

export const DeliveryStatus = z.enum(["pending", "delivered", "failed"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One try: the receiver's HTTP status, or why there was none. */
export const DeliveryAttempt = z.object({
  at: IsoDateTime,
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int().nonnegative(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const WebhookDelivery = z.object({
  id: Uuid,
  subscriptionId: Uuid,
  /** The event's id, sent as `Webhook-Id`. */
  eventId: Uuid,
  eventType: z.string(),
  status: DeliveryStatus,
  attempts: z.number().int().nonnegative(),
  /** When the next try is due (pending only). */
  nextAttemptAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
  deliveredAt: IsoDateTime.nullable(),
  /** The latest tries, newest last (bounded). */
  recentAttempts: z.array(DeliveryAttempt),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** What a receiver gets as the request body. */
export const WebhookPayload = z.object({
  id: Uuid,
  type: z.string(),
  occurredAt: IsoDateTime,
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/** `POST /chat/support/webhooks` */
export const CreateWebhookBody = z.object({
  url: WebhookUrl,
  eventTypes: EventTypes,
  active: z.boolean().optional(),
});
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

/** `PATCH /chat/support/webhooks/:id` */
export const UpdateWebhookBody = z
  .object({ url: WebhookUrl, eventTypes: EventTypes, active: z.boolean() })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, "change at least one of url, eventTypes, active");
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBody>;

/** `GET /chat/support/webhooks/:id/deliveries?status=failed&limit=50` */
export const WebhookDeliveriesQuery = z.object({
  status: DeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(WEBHOOK_DELIVERY_PAGE_MAX).optional(),
});

const WebhookRef = z.object({ id: Uuid });

/** Served by the notification service, which owns webhook subscriptions and their deliveries. */
export const webhookCommands = {
  createWebhook: { request: CreateWebhookBody, reply: WebhookSubscription },
  updateWebhook: {
    request: WebhookRef.extend({ changes: UpdateWebhookBody }),
    reply: WebhookSubscription,
  },
  deleteWebhook: { request: WebhookRef, reply: z.object({ id: Uuid, deleted: z.literal(true) }) },
  rotateWebhookSecret: { request: WebhookRef, reply: WebhookSubscription },
  /** Queues a `WebhookTest` delivery to the endpoint, whatever event types it chose. */
  sendTestWebhook: { request: WebhookRef, reply: WebhookDelivery },
} as const;

export const webhookQueries = {
  listWebhooks: {
    request: z.object({}),
    reply: z.object({ webhooks: z.array(WebhookSubscription) }),
  },
  getWebhook: { request: WebhookRef, reply: WebhookSubscription },
  listWebhookDeliveries: {
    request: WebhookRef.extend(WebhookDeliveriesQuery.shape),
    reply: z.object({ deliveries: z.array(WebhookDelivery) }),
  },
} as const;

export type WebhookCommandName = keyof typeof webhookCommands;
export type WebhookQueryName = keyof typeof webhookQueries;
