import type { Subjects } from "@support-chat/contracts";
import {
  injectTraceContext,
  inSpan,
  linkTo,
  SpanKind,
  tracingEnabled,
  type Logger,
  type SpanOptions,
} from "@support-chat/service-kit";
import type { JetStreamClient } from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import postgres from "postgres";
import type { ChatMetrics } from "../metrics.js";
import { EVENTS_APPENDED_CHANNEL } from "../store/channel.js";
import type { Database } from "../store/db.js";
import { toRecorded, type EventRow, type StoredMetadata } from "../store/recorded.js";
import { relayCheckpoint } from "../store/schema.js";
import { relayConnection, relayStatements } from "./relay-statements.js";

export type RelayOptions = {
  db: Database;
  /** The relay LISTENs on its own connection, so it never holds one of the pool's. */
  databaseUrl: string;
  js: JetStreamClient;
  subjects: Subjects;
  batchSize: number;
  pollIntervalMs: number;
  metrics: ChatMetrics;
  log: Logger;
};

export type Relay = { wake: () => void; stop: () => Promise<void> };

const encoder = new TextEncoder();
const MAX_BACKOFF_MS = 5000;
const LAG_READ_INTERVAL_MS = 1000;

/**
 * Publishes the committed log to JetStream, in commit order, from a checkpoint.
 *
 * A higher global position can commit before a lower one, so the relay reads in
 * (transaction id, position) order and only rows of transactions below the oldest one still
 * running (the snapshot's xmin): nothing can later appear behind the checkpoint. The checkpoint
 * moves only after JetStream acked the batch; a crash before that re-publishes, and JetStream
 * drops the duplicates by event id.
 */
export const startRelay = async (opts: RelayOptions): Promise<Relay> => {
  const name = `jetstream:${opts.subjects.namespace}`;
  await opts.db.insert(relayCheckpoint).values({ name }).onConflictDoNothing();

  const publish = async (row: EventRow) => {
    const event = toRecorded(row);
    const h = headers();
    h.set("correlation-id", event.metadata.correlationId);
    // Consumers continue the trace of the command that appended the event; an event appended
    // without tracing continues the relay's own span, when there is one.
    const trace = (row.metadata as StoredMetadata).trace;
    if (trace) for (const [key, value] of Object.entries(trace)) h.set(key, value);
    else injectTraceContext(h);
    await opts.js.publish(opts.subjects.event(event.type), encoder.encode(JSON.stringify(event)), {
      msgID: event.metadata.eventId,
      headers: h,
    });
  };

  /** A batch is one span, linked to the span that appended each of its events. */
  const batchSpan = (rows: EventRow[]): SpanOptions => {
    const metadata = rows.map((row) => row.metadata as StoredMetadata);
    return {
      kind: SpanKind.PRODUCER,
      attributes: {
        "messaging.system": "nats",
        "messaging.destination.name": opts.subjects.eventStream,
        "messaging.batch.message_count": rows.length,
        "correlation.id": [...new Set(metadata.map((m) => m.correlationId))],
      },
      links: metadata.flatMap((m) => {
        const link = m.trace && linkTo(m.trace, { "correlation.id": m.correlationId });
        return link ? [link] : [];
      }),
    };
  };

  const conn = relayConnection(opts.databaseUrl, name);
  const rounds = relayStatements(conn.sql, name, opts.batchSize);
  let checkpoint = 0;
  let head = 0;
  let headReadAt = 0;

  /** The lag gauge needs the head of the log; reading it once a second is plenty. */
  const observeLag = async () => {
    if (Date.now() - headReadAt >= LAG_READ_INTERVAL_MS) {
      headReadAt = Date.now();
      head = await rounds.head();
    }
    head = Math.max(head, checkpoint);
    opts.metrics.publishLag.set(head - checkpoint);
  };

  /** What the next round must record before it reads on: the batch JetStream just acked. */
  let published: { tx: string; position: number } | undefined;

  /**
   * One batch; returns how many events it published (-1 when another replica relays). One
   * statement per round: it records the previous batch's checkpoint and reads the next batch.
   */
  const round = async (): Promise<number> => {
    if (!(await conn.acquire())) return -1;
    const moving = published;
    published = undefined;
    const batch = moving
      ? await rounds.moveAndRead(conn.pid(), moving)
      : await rounds.read(conn.pid());
    if (batch === "lost") {
      conn.lost();
      return -1;
    }
    checkpoint = batch.checkpoint;
    const rows = batch.rows;
    const last = rows[rows.length - 1];
    if (last) {
      const publishBatch = () => Promise.all(rows.map(publish));
      await (tracingEnabled()
        ? inSpan("relay publish", batchSpan(rows), publishBatch)
        : publishBatch());
      opts.metrics.eventsPublished.inc(rows.length);
      published = { tx: last.transactionId, position: last.globalPosition };
      checkpoint = last.globalPosition;
    }
    await observeLag();
    return rows.length;
  };

  let running = true;
  let woken = false;
  let interrupt: (() => void) | undefined;
  const wake = () => {
    woken = true;
    interrupt?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || !running) return resolve();
      const timer = setTimeout(resolve, ms);
      interrupt = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      interrupt = undefined;
    });

  const loop = async () => {
    let failures = 0;
    while (running) {
      woken = false;
      try {
        const count = await round();
        failures = 0;
        // After a batch, go on at once: the next round records it and reads what came meanwhile.
        if (count > 0 || woken) continue;
      } catch (err) {
        // NATS or Postgres is away: nothing is lost (the checkpoint did not move), so back
        // off instead of flooding the log, and try again.
        failures++;
        published = undefined;
        opts.log.error({ err, failures }, "relay round failed; retrying");
        await pause(Math.min(opts.pollIntervalMs * 2 ** failures, MAX_BACKOFF_MS));
        continue;
      }
      await pause(opts.pollIntervalMs);
    }
  };

  const listener = postgres(opts.databaseUrl, { max: 1, onnotice: () => undefined });
  const subscription = await listener.listen(EVENTS_APPENDED_CHANNEL, wake).catch((err) => {
    // Polling still delivers everything; LISTEN only makes it prompt.
    opts.log.warn({ err }, "relay cannot LISTEN; falling back to polling");
    return undefined;
  });
  const done = loop();
  opts.log.info({ relay: name }, "relay started");

  return {
    wake,
    stop: async () => {
      running = false;
      wake();
      await done;
      await subscription?.unlisten().catch(() => undefined);
      await listener.end({ timeout: 2 });
      // Closing the relay's connection lets another replica's relay take over.
      await conn.close();
    },
  };
};
