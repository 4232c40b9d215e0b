import type { CannedEventOf, RecordedCannedEvent } from "@support-chat/contracts";
import { eq } from "drizzle-orm";
import type { Queryable } from "./db.js";
import { cannedResponses } from "./canned-schema.js";

type Recorded<T extends RecordedCannedEvent["type"]> = CannedEventOf<T> & {
  metadata: RecordedCannedEvent["metadata"];
};

// Times and versions come from the event, never from the clock: a rebuild writes the same rows.
const stamp = (event: RecordedCannedEvent) => ({
  version: event.metadata.streamPosition,
  updatedAt: new Date(event.metadata.occurredAt),
  updatedById: event.metadata.actor.id,
  updatedByName: event.metadata.actor.name,
});

const created = async (db: Queryable, event: Recorded<"CannedResponseCreated">) => {
  const { cannedResponseId, title, shortcut, text } = event.data;
  await db.insert(cannedResponses).values({
    id: cannedResponseId,
    title,
    shortcut,
    text,
    createdAt: new Date(event.metadata.occurredAt),
    createdById: event.metadata.actor.id,
    ...stamp(event),
  });
};

const edited = async (db: Queryable, event: Recorded<"CannedResponseEdited">) => {
  const { cannedResponseId, title, shortcut, text } = event.data;
  await db
    .update(cannedResponses)
    .set({ title, shortcut, text, ...stamp(event) })
    .where(eq(cannedResponses.id, cannedResponseId));
};

const deleted = async (db: Queryable, event: Recorded<"CannedResponseDeleted">) => {
  const stamped = stamp(event);
  await db
    .update(cannedResponses)
    .set({ ...stamped, deletedAt: stamped.updatedAt })
    .where(eq(cannedResponses.id, event.data.cannedResponseId));
};

/** Brings `canned_responses` up to date with one event, inside the caller's transaction. */
export const projectCanned = async (db: Queryable, event: RecordedCannedEvent): Promise<void> => {
  switch (event.type) {
    case "CannedResponseCreated":
      return created(db, event);
    case "CannedResponseEdited":
      return edited(db, event);
    case "CannedResponseDeleted":
      return deleted(db, event);
    default: {
      const unknown: never = event;
      throw new Error(`no projection for ${JSON.stringify(unknown)}`);
    }
  }
};
