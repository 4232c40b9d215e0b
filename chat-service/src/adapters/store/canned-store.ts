import {
  cannedStreamId,
  DomainError,
  type CannedEventBody,
  type RecordedCannedEvent,
} from "@support-chat/contracts";
import { captureTraceContext } from "@support-chat/service-kit";
import { randomUUID } from "node:crypto";
import { asc, eq, isNull, sql } from "drizzle-orm";
import {
  evolveCanned,
  initialCannedState,
  type CannedResponseState,
  type Catalog,
} from "../../domain/canned.js";
import type { ChatMetrics } from "../metrics.js";
import { cannedResponses, LIVE_SHORTCUT_UNIQUE, type CannedResponseRow } from "./canned-schema.js";
import { isUniqueViolation, type Database, type Queryable, type Transaction } from "./db.js";
import { EVENTS_APPENDED_CHANNEL, type AppendContext } from "./event-store.js";
import { projectCanned } from "./canned-projections.js";
import { toRecorded, type EventRow } from "./recorded.js";
import { events } from "./schema.js";

/** Every change to the catalog takes this lock, so the shortcut check sees all earlier ones. */
const CATALOG_LOCK = "canned-responses";

export type CannedDecision = (state: CannedResponseState, catalog: Catalog) => CannedEventBody[];

export type CannedOutcome = Readonly<{
  state: CannedResponseState;
  appended: RecordedCannedEvent[];
  /** The projection row as this transaction left it (undefined when there is none). */
  row: CannedResponseRow | undefined;
}>;

/** A log row of a canned stream as the event the rest of the system sees. */
export const toRecordedCanned = (row: EventRow): RecordedCannedEvent =>
  toRecorded(row) as unknown as RecordedCannedEvent;

/** Live canned responses, by shortcut: what the console lists. */
export const liveCannedResponses = (db: Queryable): Promise<CannedResponseRow[]> =>
  db
    .select()
    .from(cannedResponses)
    .where(isNull(cannedResponses.deletedAt))
    .orderBy(asc(cannedResponses.shortcut));

export type CannedStore = ReturnType<typeof createCannedStore>;

/**
 * Appends canned-response events to the shared log, one stream per response. Changes are rare
 * (managers edit the catalog now and then), so they take turns on one lock: the decider then
 * sees every committed shortcut, and the unique index stays the last guard.
 */
export const createCannedStore = (deps: {
  db: Database;
  metrics: ChatMetrics;
  onAppended: () => void;
}) => {
  const load = async (tx: Transaction, id: string): Promise<CannedResponseState> => {
    const rows = await tx
      .select({ type: events.type, data: events.data })
      .from(events)
      .where(eq(events.streamId, cannedStreamId(id)))
      .orderBy(asc(events.streamPosition));
    return rows.reduce(
      (state, row) => evolveCanned(state, row as CannedEventBody),
      initialCannedState(),
    );
  };

  const catalogOf = (tx: Transaction): Promise<Catalog> =>
    tx
      .select({
        id: cannedResponses.id,
        shortcut: cannedResponses.shortcut,
        title: cannedResponses.title,
      })
      .from(cannedResponses)
      .where(isNull(cannedResponses.deletedAt));

  const rowOf = async (tx: Transaction, id: string) => {
    const [row] = await tx.select().from(cannedResponses).where(eq(cannedResponses.id, id));
    return row;
  };

  const append = async (
    tx: Transaction,
    id: string,
    version: number,
    bodies: CannedEventBody[],
    ctx: AppendContext,
  ): Promise<RecordedCannedEvent[]> => {
    const trace = captureTraceContext();
    const rows = bodies.map((body, i) => ({
      eventId: randomUUID(),
      streamId: cannedStreamId(id),
      streamPosition: version + 1 + i,
      type: body.type,
      data: body.data,
      metadata: {
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        causationId: ctx.causationId,
        ...(trace ? { trace } : {}),
      },
      occurredAt: ctx.now,
    }));
    const inserted = await tx.insert(events).values(rows).returning();
    const recorded = inserted.map(toRecordedCanned);
    for (const event of recorded) await projectCanned(tx, event);
    await tx.execute(sql`select pg_notify(${EVENTS_APPENDED_CHANNEL}, '')`);
    return recorded;
  };

  const attempt = (id: string, decide: CannedDecision, ctx: AppendContext) =>
    deps.db.transaction(async (tx): Promise<CannedOutcome> => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${CATALOG_LOCK}))`);
      const state = await load(tx, id);
      const bodies = decide(state, await catalogOf(tx));
      if (bodies.length === 0) return { state, appended: [], row: await rowOf(tx, id) };
      const appended = await append(tx, id, state.version, bodies, ctx);
      return {
        state: bodies.reduce(evolveCanned, state),
        appended,
        row: await rowOf(tx, id),
      };
    });

  /** Decides and appends one change to canned response `id`; refusals change nothing. */
  const handle = async (
    id: string,
    decide: CannedDecision,
    ctx: AppendContext,
  ): Promise<CannedOutcome> => {
    const started = performance.now();
    let outcome: CannedOutcome;
    try {
      outcome = await attempt(id, decide, ctx);
    } catch (e) {
      // Only a writer that skipped the lock could get here; the guards still hold.
      if (isUniqueViolation(e, LIVE_SHORTCUT_UNIQUE)) {
        throw new DomainError("CONFLICT", "that shortcut was taken meanwhile; pick another");
      }
      if (isUniqueViolation(e, "events_stream_position_unique")) {
        throw new DomainError("CONFLICT", `canned response ${id} changed meanwhile; try again`);
      }
      throw e;
    }
    if (outcome.appended.length > 0) {
      deps.metrics.appendSeconds.observe((performance.now() - started) / 1000);
      for (const e of outcome.appended) deps.metrics.eventsAppended.inc({ type: e.type });
      deps.onAppended();
    }
    return outcome;
  };

  return { handle, list: () => liveCannedResponses(deps.db) };
};
