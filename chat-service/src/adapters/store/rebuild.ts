import { asc, gt, sql } from "drizzle-orm";
import { toRecorded } from "./recorded.js";
import type { Database } from "./db.js";
import { project } from "./projections.js";
import { chatMessages, chatRooms, events } from "./schema.js";

const PAGE = 1000;

/**
 * Drops the projections' content and replays the whole log in global order, in one
 * transaction: readers see either the old projections or the rebuilt ones, never a half.
 * Appends arriving meanwhile wait on the truncated tables and project themselves afterwards.
 */
export const rebuildProjections = async (db: Database): Promise<number> =>
  db.transaction(async (tx) => {
    await tx.execute(sql`truncate ${chatMessages}, ${chatRooms}`);
    let replayed = 0;
    let after = 0;
    for (;;) {
      const page = await tx
        .select()
        .from(events)
        .where(gt(events.globalPosition, after))
        .orderBy(asc(events.globalPosition))
        .limit(PAGE);
      for (const row of page) await project(tx, toRecorded(row));
      replayed += page.length;
      const last = page[page.length - 1];
      if (!last || page.length < PAGE) return replayed;
      after = last.globalPosition;
    }
  });
