import type { JsMsg } from "@nats-io/jetstream";
import { isCannedEventType, RecordedCannedEvent } from "@support-chat/contracts";
import { describe } from "@support-chat/service-kit";
import { cannedPushes } from "../domain/canned-pushes.js";
import { retryDelayMs } from "../domain/redelivery.js";
import type { EventHandlerDeps } from "./event-handler.js";

const jsonOf = (msg: JsMsg): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(msg.data));
  } catch {
    return undefined;
  }
};

/** Whether a message of the event stream is a canned-response event (by its subject). */
export const isCannedEventMessage = (msg: Pick<JsMsg, "subject">): boolean =>
  isCannedEventType(msg.subject.slice(msg.subject.lastIndexOf(".") + 1));

/**
 * Turns a canned-response event into its push to support consoles and settles it: acknowledged
 * once Redis has it, terminated when it does not parse, sent back for later when Redis is away.
 * (Room events have their own handler: they need the room read, these do not.)
 */
export const handleCannedEvent = async (
  deps: Pick<EventHandlerDeps, "publish" | "metrics" | "log" | "retry">,
  msg: JsMsg,
): Promise<void> => {
  const parsed = RecordedCannedEvent.safeParse(jsonOf(msg));
  if (!parsed.success) {
    deps.log.warn(
      { subject: msg.subject, streamSeq: msg.seq, problem: describe(parsed.error) },
      "not a canned response event; terminated",
    );
    msg.term();
    deps.metrics.consumed("unknown", "invalid");
    return;
  }
  const event = parsed.data as RecordedCannedEvent;
  try {
    await deps.publish(cannedPushes(event));
  } catch (err) {
    msg.nak(retryDelayMs(msg.info.deliveryCount, deps.retry.baseMs, deps.retry.maxMs));
    deps.metrics.consumed(event.type, "retried");
    deps.log.warn(
      { err: err instanceof Error ? err.message : String(err), eventId: event.metadata.eventId },
      "canned response push not sent; will retry",
    );
    return;
  }
  msg.ack();
  deps.metrics.consumed(event.type, "pushed");
};
