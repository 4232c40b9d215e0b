import {
  chatQueries,
  type Actor,
  type EventMetadata,
  type RecordedRoomEvent,
  type RoomViews,
  type Subjects,
} from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";
import type { NatsConnection } from "@nats-io/transport-node";
import { readViews, viewsAfter, type KnownViews } from "../domain/room-views.js";

/** Both sides' view of a room, asked on behalf of the event that made it change. */
export type RoomViewsSource = (roomId: string, cause: EventMetadata) => Promise<RoomViews>;

const NOTIFIER: Actor = {
  id: "notification-service",
  name: "Notification service",
  role: "system",
};

export const roomViewsOverNats = (
  nc: NatsConnection,
  subjects: Subjects,
  timeoutMs: number,
): RoomViewsSource => {
  const query = requesterFor({ nc, operations: chatQueries, subjectOf: subjects.query, timeoutMs });
  return (roomId, cause) =>
    query("getRoomViews", {
      actor: NOTIFIER,
      correlationId: cause.correlationId,
      causationId: cause.eventId,
      payload: { roomId },
    });
};

/** Both sides' view of a room right after an event (or later). */
export type RoomViewsAfter = (event: RecordedRoomEvent) => Promise<RoomViews>;

/**
 * Room views kept per room and moved on by the events themselves, so most events need no
 * request to the chat service: only a room not seen yet, a gap (an event handled by another
 * replica) or an event whose effect cannot be derived reads the views. Events of one room
 * reach this one at a time, in order (the consumer's room lanes).
 */
export const cachedRoomViews = (read: RoomViewsSource, capacity = 10_000): RoomViewsAfter => {
  const rooms = new Map<string, KnownViews>();
  const remember = (roomId: string, known: KnownViews) => {
    // Re-inserted, so the map's order stays least recently used first.
    rooms.delete(roomId);
    rooms.set(roomId, known);
    if (rooms.size > capacity) rooms.delete(rooms.keys().next().value!);
  };
  return async (event) => {
    const roomId = event.data.roomId;
    const known =
      viewsAfter(rooms.get(roomId), event) ?? readViews(await read(roomId, event.metadata), event);
    remember(roomId, known);
    return known.views;
  };
};
