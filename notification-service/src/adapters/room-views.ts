import {
  chatQueries,
  type Actor,
  type EventMetadata,
  type RoomViews,
  type Subjects,
} from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";
import type { NatsConnection } from "@nats-io/transport-node";

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
