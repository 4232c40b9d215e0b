import type { RecordedRoomEvent } from "@support-chat/contracts";
import type { TraceCarrier } from "@support-chat/service-kit";
import type { events } from "./schema.js";

export type EventRow = typeof events.$inferSelect;

/**
 * What the store keeps in the `metadata` column; the rest of the metadata has columns. `trace`
 * (W3C trace context of the append, present when tracing was on) stays inside this service:
 * the relay sends it as message headers, not as part of the event.
 */
export type StoredMetadata = Pick<
  RecordedRoomEvent["metadata"],
  "actor" | "correlationId" | "causationId"
> & { trace?: TraceCarrier };

/** A row of the log as the event the rest of the system sees (and JetStream carries). */
export const toRecorded = (row: EventRow): RecordedRoomEvent => {
  const metadata = row.metadata as StoredMetadata;
  return {
    type: row.type,
    data: row.data,
    metadata: {
      eventId: row.eventId,
      streamId: row.streamId,
      streamPosition: row.streamPosition,
      globalPosition: row.globalPosition,
      actor: metadata.actor,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId ?? null,
      occurredAt: row.occurredAt.toISOString(),
    },
  } as RecordedRoomEvent;
};
