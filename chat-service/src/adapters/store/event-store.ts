import { randomUUID } from "node:crypto";
import {
  DomainError,
  roomStreamId,
  type Actor,
  type RecordedRoomEvent,
  type RoomEventBody,
} from "@support-chat/contracts";
import {
  captureTraceContext,
  inSpan,
  type Logger,
  type TraceCarrier,
} from "@support-chat/service-kit";
import { and, asc, eq, gt, ne, sql } from "drizzle-orm";
import {
  evolve,
  evolveAll,
  firstResponseSeconds,
  initialState,
  type RoomState,
} from "../../domain/room.js";
import type { ChatMetrics } from "../metrics.js";
import { EVENTS_APPENDED_CHANNEL } from "./channel.js";
import { isUniqueViolation, type Database, type Queryable, type Transaction } from "./db.js";
import type { MessageBatcher } from "./message-batch.js";
import { project } from "./projections.js";
import { PerRoomQueue } from "./per-room-queue.js";
import { RoomCache, type CachedRoom } from "./room-cache.js";
import { chatRooms, events } from "./schema.js";

export { EVENTS_APPENDED_CHANNEL } from "./channel.js";

export type AppendContext = Readonly<{
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  now: Date;
  /** The trace context of the append, kept in the metadata so the relay can pass it on. */
  trace?: TraceCarrier | undefined;
}>;

/** An agent must stay below this many non-closed rooms for the append to go through. */
export type CapacityLimit = Readonly<{ agentId: string; maxChats: number }>;

export type Decision = Readonly<{ events: RoomEventBody[]; capacity?: CapacityLimit }>;

export type HandleResult = Readonly<{ state: RoomState; appended: RecordedRoomEvent[] }>;

type AttemptResult = HandleResult & {
  version: number;
  /** Seconds to support's first answer, when this append is that answer. */
  firstResponse: number | undefined;
};

// Writers take turns (see `attempt`), so a conflict needs a writer that skipped the queue;
// a few retries settle that, and past them the caller gets CONFLICT and may retry.
const MAX_ATTEMPTS = 5;

export type EventStore = ReturnType<typeof createEventStore>;

export const createEventStore = (deps: {
  db: Database;
  log: Logger;
  metrics: ChatMetrics;
  /** Called after every commit, so a local relay can publish at once instead of polling. */
  onAppended: () => void;
  /** Appends posted messages of rooms whose state is cached, many in one statement. */
  messages?: MessageBatcher;
}) => {
  const cache = new RoomCache();
  const queue = new PerRoomQueue();

  /** The room from its cached state plus the events appended since. */
  const load = async (roomId: string, db: Queryable = deps.db): Promise<CachedRoom> => {
    const cached = cache.get(roomId) ?? { state: initialState(), version: 0 };
    const rows = await db
      .select({
        type: events.type,
        data: events.data,
        position: events.streamPosition,
        occurredAt: events.occurredAt,
      })
      .from(events)
      .where(
        and(eq(events.streamId, roomStreamId(roomId)), gt(events.streamPosition, cached.version)),
      )
      .orderBy(asc(events.streamPosition));
    if (rows.length === 0) return cached;
    const loaded = {
      state: rows.reduce(
        (state, row) => evolve(state, row as RoomEventBody, row.occurredAt),
        cached.state,
      ),
      version: rows[rows.length - 1]!.position,
    };
    cache.set(roomId, loaded);
    return loaded;
  };

  const record = (
    roomId: string,
    body: RoomEventBody,
    streamPosition: number,
    ctx: AppendContext,
  ) => ({
    eventId: randomUUID(),
    streamId: roomStreamId(roomId),
    streamPosition,
    type: body.type,
    data: body.data,
    metadata: {
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      causationId: ctx.causationId,
      ...(ctx.trace ? { trace: ctx.trace } : {}),
    },
    occurredAt: ctx.now,
  });

  /** A row of the log as the event the rest of the system sees. */
  const recordedOf = (
    row: ReturnType<typeof record>,
    globalPosition: number,
    ctx: AppendContext,
  ): RecordedRoomEvent =>
    ({
      type: row.type,
      data: row.data,
      metadata: {
        actor: row.metadata.actor,
        correlationId: row.metadata.correlationId,
        causationId: row.metadata.causationId,
        eventId: row.eventId,
        streamId: row.streamId,
        streamPosition: row.streamPosition,
        globalPosition,
        occurredAt: ctx.now.toISOString(),
      },
    }) as RecordedRoomEvent;

  const checkCapacity = async (tx: Transaction, limit: CapacityLimit): Promise<void> => {
    // Serializes every assignment to this agent across all replicas until this commit.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"agent:" + limit.agentId}))`);
    const [row] = await tx
      .select({ rooms: sql<number>`count(*)::int` })
      .from(chatRooms)
      .where(and(eq(chatRooms.supportAgentId, limit.agentId), ne(chatRooms.status, "closed")));
    if ((row?.rooms ?? 0) >= limit.maxChats) {
      throw new DomainError(
        "AGENT_AT_CAPACITY",
        `agent ${limit.agentId} already has ${row?.rooms ?? 0} of ${limit.maxChats} chats`,
      );
    }
  };

  const append = async (
    tx: Transaction,
    roomId: string,
    expectedVersion: number,
    decision: Decision,
    ctx: AppendContext,
  ): Promise<RecordedRoomEvent[]> => {
    if (decision.capacity) await checkCapacity(tx, decision.capacity);
    const rows = decision.events.map((e, i) => record(roomId, e, expectedVersion + 1 + i, ctx));
    const inserted = await tx
      .insert(events)
      .values(rows)
      .returning({ eventId: events.eventId, globalPosition: events.globalPosition });
    const positions = new Map(inserted.map((r) => [r.eventId, r.globalPosition]));
    const recorded = rows.map((row) => recordedOf(row, positions.get(row.eventId)!, ctx));
    for (const event of recorded) await project(tx, event);
    await tx.execute(sql`select pg_notify(${EVENTS_APPENDED_CHANNEL}, '')`);
    return recorded;
  };

  /**
   * One attempt, in one transaction: load the room, decide, append at the expected version
   * with its projections. Writers of one room queue on an advisory lock first, so replicas
   * take turns instead of racing (a pure race lets one replica's stream of writes starve the
   * other's retries). The unique (stream_id, stream_position) stays the guarantee: a writer
   * that did not wait its turn still makes this attempt fail, and it is decided again.
   */
  const attempt = (roomId: string, decide: (state: RoomState) => Decision, ctx: AppendContext) =>
    deps.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"room:" + roomId}))`);
      const { state, version } = await load(roomId, tx);
      const decision = decide(state);
      if (decision.events.length === 0) {
        return { state, version, appended: [], firstResponse: undefined };
      }
      const appended = await append(tx, roomId, version, decision, ctx);
      const next = evolveAll(state, decision.events, ctx.now);
      return {
        state: next,
        version: version + appended.length,
        appended,
        firstResponse: firstResponseSeconds(state, decision.events, ctx.now),
      };
    });

  /**
   * The message path, without reading the room: decide from the cached state and append at
   * the position after it. A stale cache (another replica wrote since) cannot append wrongly:
   * that position is taken, the unique (stream_id, stream_position) leaves the event out, and
   * the caller decides again from the log. Anything else (other commands, refusals, retried
   * sends, a room not in the cache) takes the full path, which checks under the room's lock.
   */
  const appendFromCache = async (
    roomId: string,
    decide: (state: RoomState) => Decision,
    ctx: AppendContext,
  ): Promise<AttemptResult | "conflict" | undefined> => {
    const cached = deps.messages && cache.get(roomId);
    if (!cached) return undefined;
    let decision: Decision;
    try {
      decision = decide(cached.state);
    } catch {
      return undefined;
    }
    const [body, ...more] = decision.events;
    if (!body || more.length > 0 || decision.capacity || body.type !== "MessagePosted") {
      return undefined;
    }
    // Support's first answer in a room ends its first response time: it takes the full path,
    // whose projections record it for the reports (once per room, so the batch keeps the rest).
    if (firstResponseSeconds(cached.state, decision.events, ctx.now) !== undefined) {
      return undefined;
    }
    const row = record(roomId, body, cached.version + 1, ctx);
    const event = (globalPosition: number) =>
      recordedOf(row, globalPosition, ctx) as RecordedRoomEvent & { type: "MessagePosted" };
    const outcome = await deps.messages!.append({ event: event(0), stored: row.metadata });
    if (outcome === "conflict") return "conflict";
    return {
      state: evolveAll(cached.state, decision.events, ctx.now),
      version: cached.version + 1,
      appended: [event(outcome.globalPosition)],
      firstResponse: firstResponseSeconds(cached.state, decision.events, ctx.now),
    };
  };

  /** One attempt as one span; a lost race is answered with "conflict" rather than thrown. */
  const tracedAttempt = (
    roomId: string,
    decide: (state: RoomState) => Decision,
    ctx: AppendContext,
    n: number,
  ) =>
    inSpan(
      "append room events",
      {
        attributes: { "correlation.id": ctx.correlationId, "room.id": roomId, "append.attempt": n },
      },
      async (span) => {
        const traced = { ...ctx, trace: captureTraceContext() };
        try {
          const fast = n === 1 ? await appendFromCache(roomId, decide, traced) : undefined;
          if (fast === "conflict") span?.setAttribute("error.type", "CONFLICT");
          return fast ?? (await attempt(roomId, decide, traced));
        } catch (e) {
          if (!isUniqueViolation(e, "events_stream_position_unique")) throw e;
          span?.setAttribute("error.type", "CONFLICT");
          return "conflict" as const;
        }
      },
    );

  const decideAndAppend = async (
    roomId: string,
    decide: (state: RoomState) => Decision,
    ctx: AppendContext,
  ): Promise<HandleResult> => {
    for (let n = 1; n <= MAX_ATTEMPTS; n++) {
      const started = performance.now();
      const result = await tracedAttempt(roomId, decide, ctx, n);
      if (result === "conflict") {
        deps.metrics.appendConflicts.inc();
        deps.log.debug({ roomId, attempt: n }, "room changed while deciding; deciding again");
        continue;
      }
      const { state, version, appended } = result;
      if (appended.length === 0) return { state, appended };
      deps.metrics.appendSeconds.observe((performance.now() - started) / 1000);
      for (const e of appended) deps.metrics.eventsAppended.inc({ type: e.type });
      if (result.firstResponse !== undefined) {
        deps.metrics.firstResponseSeconds.observe(result.firstResponse);
      }
      cache.set(roomId, { state, version });
      deps.onAppended();
      return { state, appended };
    }
    throw new DomainError("CONFLICT", `room ${roomId} is busy; try again`);
  };

  const handle = (
    roomId: string,
    decide: (state: RoomState) => Decision,
    ctx: AppendContext,
  ): Promise<HandleResult> => queue.run(roomId, () => decideAndAppend(roomId, decide, ctx));

  return { handle, load };
};
