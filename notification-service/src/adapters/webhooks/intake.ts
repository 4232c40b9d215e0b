import type { JsMsg } from "@nats-io/jetstream";
import { RecordedRoomEvent, ROOM_EVENT_TYPES } from "@support-chat/contracts";
import { describe, type Logger } from "@support-chat/service-kit";
import { retryDelayMs } from "../../domain/redelivery.js";
import { eventBody } from "../../domain/webhooks/payload.js";
import type { WebhookMetrics } from "./metrics.js";
import type { WebhookStore } from "./store.js";

export type IntakeDeps = {
  store: Pick<WebhookStore, "queueEvent">;
  /** Something was queued: the dispatcher of this replica may look at once. */
  queued: () => void;
  retry: { baseMs: number; maxMs: number };
  metrics: WebhookMetrics;
  log: Logger;
  now: () => Date;
};

const decode = (msg: JsMsg): { event: RecordedRoomEvent } | { problem: string } => {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(msg.data));
  } catch {
    return { problem: "not JSON" };
  }
  const parsed = RecordedRoomEvent.safeParse(json);
  return parsed.success
    ? { event: parsed.data as RecordedRoomEvent }
    : { problem: describe(parsed.error) };
};

/**
 * The webhook consumer's handler: writes the event's deliveries, then acknowledges. The
 * deliveries are in Postgres before the stream forgets the event, and the unique (subscription,
 * event) key makes writing them again after a crash a no-op: nothing lost, nothing doubled.
 */
export const webhookIntake =
  (deps: IntakeDeps) =>
  async (msg: JsMsg): Promise<void> => {
    // The stream carries other events too (canned responses); webhooks are for room events.
    const type = msg.subject.slice(msg.subject.lastIndexOf(".") + 1);
    if (!(ROOM_EVENT_TYPES as readonly string[]).includes(type)) {
      msg.ack();
      deps.metrics.intake("skipped");
      return;
    }
    const decoded = decode(msg);
    if ("problem" in decoded) {
      deps.log.warn(
        { subject: msg.subject, streamSeq: msg.seq, problem: decoded.problem },
        "not a room event; no webhooks for it",
      );
      msg.term();
      deps.metrics.intake("invalid");
      return;
    }
    const { event } = decoded;
    try {
      const queued = await deps.store.queueEvent({
        eventId: event.metadata.eventId,
        type: event.type,
        body: eventBody(event),
        now: deps.now(),
      });
      msg.ack();
      deps.metrics.intake("queued", queued);
      if (queued > 0) deps.queued();
    } catch (err) {
      const delayMs = retryDelayMs(msg.info.deliveryCount, deps.retry.baseMs, deps.retry.maxMs);
      msg.nak(delayMs);
      deps.metrics.intake("retried");
      deps.log.warn(
        {
          err: err instanceof Error ? err.message : String(err),
          eventId: event.metadata.eventId,
          delayMs,
        },
        "webhook deliveries not written; will retry",
      );
    }
  };
