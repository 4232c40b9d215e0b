import type { NatsConnection } from "@nats-io/transport-node";
import {
  chatQueries,
  type Actor,
  type EventMetadata,
  type RoomContact,
  type Subjects,
  type Transcript,
} from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";

/** What e-mail needs from the chat service, asked on behalf of the event that caused it. */
export type ChatForMail = {
  transcript: (roomId: string, upToSeq: number, cause: EventMetadata) => Promise<Transcript>;
  contact: (roomId: string, cause: EventMetadata) => Promise<RoomContact>;
};

const MAILER: Actor = { id: "notification-service", name: "Notification service", role: "system" };

export const chatForMail = (
  nc: NatsConnection,
  subjects: Subjects,
  timeoutMs: number,
): ChatForMail => {
  const query = requesterFor({ nc, operations: chatQueries, subjectOf: subjects.query, timeoutMs });
  const envelope = <P>(cause: EventMetadata, payload: P) => ({
    actor: MAILER,
    correlationId: cause.correlationId,
    causationId: cause.eventId,
    payload,
  });
  return {
    transcript: (roomId, upToSeq, cause) =>
      query("getTranscript", envelope(cause, { roomId, upToSeq })),
    contact: (roomId, cause) => query("getRoomContact", envelope(cause, { roomId })),
  };
};
