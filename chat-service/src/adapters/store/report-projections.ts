import type { RecordedRoomEvent } from "@support-chat/contracts";
import { asc, eq } from "drizzle-orm";
import { evolveFacts, mayChangeFacts, type RoomFacts } from "../../domain/report-facts.js";
import type { Queryable } from "./db.js";
import { reportAssignments, reportRooms } from "./report-schema.js";

/** A room's facts as the report tables hold them, undefined before it was opened. */
const loadFacts = async (db: Queryable, roomId: string): Promise<RoomFacts | undefined> => {
  const [row] = await db.select().from(reportRooms).where(eq(reportRooms.roomId, roomId));
  if (!row) return undefined;
  const spans = await db
    .select()
    .from(reportAssignments)
    .where(eq(reportAssignments.roomId, roomId))
    .orderBy(asc(reportAssignments.n));
  const { roomId: id, ...facts } = row;
  return {
    roomId: id,
    ...facts,
    spans: spans.map((s) => ({
      agentId: s.agentId,
      agentName: s.agentName,
      from: s.startedAt,
      until: s.endedAt,
    })),
  };
};

/** Writes the facts that changed: the room's row, and the spans that are new or ended. */
const saveFacts = async (db: Queryable, before: RoomFacts | undefined, after: RoomFacts) => {
  const { spans, ...row } = after;
  await db
    .insert(reportRooms)
    .values(row)
    .onConflictDoUpdate({ target: reportRooms.roomId, set: row });
  const changed = spans
    .map((span, i) => ({ span, n: i + 1, was: before?.spans[i] }))
    .filter(({ span, was }) => !was || was.until?.getTime() !== span.until?.getTime());
  for (const { span, n } of changed) {
    const values = {
      roomId: after.roomId,
      n,
      agentId: span.agentId,
      agentName: span.agentName,
      startedAt: span.from,
      endedAt: span.until,
    };
    await db
      .insert(reportAssignments)
      .values(values)
      .onConflictDoUpdate({
        target: [reportAssignments.roomId, reportAssignments.n],
        set: { endedAt: span.until },
      });
  }
};

/**
 * Brings the report tables up to date with one event, inside the caller's transaction. Only
 * events that can change a room's facts cost a read; times come from the event.
 */
export const projectReport = async (db: Queryable, event: RecordedRoomEvent): Promise<void> => {
  if (!mayChangeFacts(event)) return;
  const { roomId } = event.data;
  const before = event.type === "RoomOpened" ? undefined : await loadFacts(db, roomId);
  const after = evolveFacts(before, event, new Date(event.metadata.occurredAt));
  if (after && after !== before) await saveFacts(db, before, after);
};
