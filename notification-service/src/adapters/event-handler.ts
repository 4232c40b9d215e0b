import type { JsMsg } from "@nats-io/jetstream";
import { RecordedRoomEvent, ROOM_EVENT_TYPES } from "@support-chat/contracts";
import { describe, type Logger } from "@support-chat/service-kit";
import { pushesFor, roomOf } from "../domain/pushes.js";
import { retryDelayMs, type RoomHolds } from "../domain/redelivery.js";
import { handleCannedEvent, isCannedEventMessage } from "./canned-event-handler.js";
import type { NotificationMetrics } from "./metrics.js";
import type { RoomViewsAfter } from "./room-views.js";
import type { PushPublisher } from "./socket-pushes.js";

export type EventHandlerDeps = {
  viewsOf: RoomViewsAfter;
  publish: PushPublisher;
  holds: RoomHolds;
  retry: { baseMs: number; maxMs: number };
  metrics: NotificationMetrics;
  log: Logger;
  now: () => number;
};

export type EventHandler = (msg: JsMsg) => Promise<void>;

/** The event type a subject names, as a metric label that cannot grow without bound. */
export const eventTypeOf = (subject: string): string => {
  const type = subject.slice(subject.lastIndexOf(".") + 1);
  return (ROOM_EVENT_TYPES as readonly string[]).includes(type) ? type : "unknown";
};

/**
 * The room a message belongs to, read without validating the whole event. A message that names
 * no room gets a lane of its own: it will be terminated and must not wait behind anything.
 */
export const laneOf = (msg: JsMsg): string => {
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(msg.data));
    const roomId = (json as { data?: { roomId?: unknown } } | null)?.data?.roomId;
    if (typeof roomId === "string") return `room:${roomId}`;
    // A canned response's events keep their order too, in a lane of their own.
    const cannedId = (json as { data?: { cannedResponseId?: unknown } } | null)?.data
      ?.cannedResponseId;
    if (typeof cannedId === "string") return `canned:${cannedId}`;
  } catch {
    // Not JSON: the handler terminates it.
  }
  return `stream:${msg.seq}`;
};

const parse = (msg: JsMsg) => {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(msg.data));
  } catch {
    return { success: false as const, problem: "not JSON" };
  }
  const parsed = RecordedRoomEvent.safeParse(json);
  if (parsed.success) return { success: true as const, event: parsed.data as RecordedRoomEvent };
  return { success: false as const, problem: describe(parsed.error) };
};

/**
 * Turns one message from the stream into pushes and settles it: acknowledged once Redis has
 * every push, terminated when it is not a room event (retrying cannot fix it), sent back for
 * later when the room cannot be read or Redis cannot be reached, so pushes are late, never lost.
 */
export const eventHandler =
  (deps: EventHandlerDeps): EventHandler =>
  async (msg) => {
    if (isCannedEventMessage(msg)) return handleCannedEvent(deps, msg);
    const parsed = parse(msg);
    if (!parsed.success) {
      deps.log.warn(
        { subject: msg.subject, streamSeq: msg.seq, problem: parsed.problem },
        "not a room event; terminated",
      );
      // No reason on the wire: NATS before 2.10 does not recognise a term that carries one.
      msg.term();
      deps.metrics.consumed(eventTypeOf(msg.subject), "invalid");
      return;
    }
    const { event } = parsed;
    const roomId = roomOf(event);
    const log = deps.log.child({
      correlationId: event.metadata.correlationId,
      eventId: event.metadata.eventId,
      eventType: event.type,
      roomId,
    });

    const waitMs = deps.holds.waitMs(roomId, msg.seq, deps.now());
    if (waitMs > 0) {
      msg.nak(waitMs);
      deps.metrics.consumed(event.type, "held");
      log.debug({ waitMs }, "an earlier event of this room is being retried; held");
      return;
    }

    try {
      const views = await deps.viewsOf(event);
      await deps.publish(pushesFor(event, views));
    } catch (err) {
      const delayMs = retryDelayMs(msg.info.deliveryCount, deps.retry.baseMs, deps.retry.maxMs);
      const now = deps.now();
      deps.holds.hold(roomId, msg.seq, now, now + delayMs);
      msg.nak(delayMs);
      deps.metrics.consumed(event.type, "retried");
      log.warn(
        {
          err: err instanceof Error ? err.message : String(err),
          attempt: msg.info.deliveryCount,
          delayMs,
        },
        "pushes not sent; will retry",
      );
      return;
    }

    msg.ack();
    deps.holds.release(roomId, msg.seq);
    deps.metrics.consumed(event.type, "pushed");
    const lagMs = deps.now() - Date.parse(event.metadata.occurredAt);
    deps.metrics.pushLag(lagMs / 1000);
    log.debug({ lagMs }, "pushed");
  };
