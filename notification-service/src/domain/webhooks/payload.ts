import {
  WEBHOOK_TEST_EVENT_TYPE,
  type RecordedRoomEvent,
  type WebhookPayload,
} from "@support-chat/contracts";

/**
 * The body receivers get for a room event: its id (also the `Webhook-Id` header), type, when
 * it happened and its data as the contract defines it. Serialized once, when the delivery is
 * queued, so every retry sends (and signs) the very same bytes.
 */
export const eventBody = (event: RecordedRoomEvent): string =>
  JSON.stringify({
    id: event.metadata.eventId,
    type: event.type,
    occurredAt: event.metadata.occurredAt,
    data: event.data,
  } satisfies WebhookPayload);

/** The body of "send test event": lets a manager check the receiver and its signature check. */
export const testBody = (opts: { eventId: string; subscriptionId: string; now: Date }): string =>
  JSON.stringify({
    id: opts.eventId,
    type: WEBHOOK_TEST_EVENT_TYPE,
    occurredAt: opts.now.toISOString(),
    data: { subscriptionId: opts.subscriptionId, message: "test delivery from the support chat" },
  } satisfies WebhookPayload);
