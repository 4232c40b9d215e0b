import { CANNED_STREAM_PREFIX } from "@support-chat/contracts";
import { asc, gt, sql } from "drizzle-orm";
import { toRecorded } from "./recorded.js";
import type { Database } from "./db.js";
import { project } from "./projections.js";
import { roomNotes, searchDocuments } from "./notes-search-schema.js";
import { chatMessages, chatRooms, events } from "./schema.js";
import { chatAttachments } from "./attachment-schema.js";
import { reportAssignments, reportRooms } from "./report-schema.js";
import { cannedResponses } from "./canned-schema.js";
import { projectCanned } from "./canned-projections.js";
import { toRecordedCanned } from "./canned-store.js";

const PAGE = 1000;

/**
 * Drops the projections' content and replays the whole log in global order, in one
 * transaction: readers see either the old projections or the rebuilt ones, never a half.
 * Appends arriving meanwhile wait on the truncated tables and project themselves afterwards.
 */
export const rebuildProjections = async (db: Database): Promise<number> =>
  db.transaction(async (tx) => {
    await tx.execute(sql`truncate ${chatMessages}, ${chatRooms}`);
    await tx.execute(sql`truncate ${chatAttachments}`);
    await tx.execute(sql`truncate ${reportRooms}, ${reportAssignments}`);
    await tx.execute(sql`truncate ${roomNotes}, ${searchDocuments}`);
    await tx.execute(sql`truncate ${cannedResponses}`);
    let replayed = 0;
    let after = 0;
    for (;;) {
      const page = await tx
        .select()
        .from(events)
        .where(gt(events.globalPosition, after))
        .orderBy(asc(events.globalPosition))
        .limit(PAGE);
      for (const row of page) {
        // Canned responses live in the same log, in streams of their own.
        if (row.streamId.startsWith(CANNED_STREAM_PREFIX))
          await projectCanned(tx, toRecordedCanned(row));
        else await project(tx, toRecorded(row));
      }
      replayed += page.length;
      const last = page[page.length - 1];
      if (!last || page.length < PAGE) return replayed;
      after = last.globalPosition;
    }
  });
