import postgres, { type Sql } from "postgres";
import type { EventRow } from "../store/recorded.js";

/**
 * The relay's own connection, which holds the relay's session advisory lock for as long as
 * this replica relays. Losing the connection loses the lock (Postgres releases it with the
 * session), so every statement of a round names the backend that took the lock: on a new
 * connection it finds nothing and changes nothing, and the relay asks for the lock again.
 */
export const relayConnection = (databaseUrl: string, name: string) => {
  let holder: number | undefined;
  const sql = postgres(databaseUrl, {
    max: 1,
    onnotice: () => undefined,
    onclose: () => {
      holder = undefined;
    },
  });
  return {
    sql,
    /** Whether this replica relays: takes the lock when it is free, keeps it once held. */
    acquire: async (): Promise<boolean> => {
      if (holder !== undefined) return true;
      const [row] = await sql<{ locked: boolean; pid: number }[]>`
        select pg_try_advisory_lock(hashtext(${"relay:" + name})) as locked,
          pg_backend_pid() as pid`;
      if (row?.locked) holder = row.pid;
      return holder !== undefined;
    },
    pid: (): number => holder ?? -1,
    lost: () => {
      holder = undefined;
    },
    close: () => sql.end({ timeout: 2 }),
  };
};

export type RelayBatch = { rows: EventRow[]; checkpoint: number } | "lost";

type Row = EventRow & { checkpoint: number };

/** The columns of an event as the relay publishes it, and the checkpoint it read after. */
const COLUMNS = `
  c.last_position::float8 as checkpoint,
  e.global_position::float8 as "globalPosition", e.stream_id as "streamId",
  e.stream_position as "streamPosition", e.event_id as "eventId", e.type, e.data, e.metadata,
  e.occurred_at as "occurredAt", e.transaction_id::text as "transactionId"`;

/**
 * Pending events in (transaction id, position) order, only of transactions older than every
 * one still running (the snapshot's xmin): nothing can later commit behind the checkpoint.
 */
const PENDING = `
  left join lateral (
    select * from events e
    where (e.transaction_id, e.global_position) > (c.last_transaction_id, c.last_position)
      and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
    order by e.transaction_id, e.global_position
    limit $3
  ) e on true`;

const READ = `
  select ${COLUMNS}
  from relay_checkpoint c ${PENDING}
  where c.name = $1 and pg_backend_pid() = $2
  order by e.transaction_id, e.global_position`;

const MOVE_AND_READ = `
  with c as (
    update relay_checkpoint set last_transaction_id = $4::xid8, last_position = $5
    where name = $1 and pg_backend_pid() = $2
    returning last_transaction_id, last_position
  )
  select ${COLUMNS}
  from c ${PENDING}
  order by e.transaction_id, e.global_position`;

const batchOf = (rows: Row[]): RelayBatch => {
  // No row at all: the statement ran on a connection that does not hold the lock.
  const first = rows[0];
  if (!first) return "lost";
  return {
    checkpoint: Number(first.checkpoint),
    rows: rows.filter((r) => r.eventId !== null).map(({ checkpoint: _, ...row }) => row),
  };
};

export const relayStatements = (sql: Sql, name: string, batchSize: number) => ({
  /** The next batch after the stored checkpoint. */
  read: async (pid: number): Promise<RelayBatch> =>
    batchOf(await sql.unsafe<Row[]>(READ, [name, pid, batchSize], { prepare: true })),
  /** Records the batch JetStream acked, then reads the next one, in one statement. */
  moveAndRead: async (pid: number, to: { tx: string; position: number }): Promise<RelayBatch> =>
    batchOf(
      await sql.unsafe<Row[]>(MOVE_AND_READ, [name, pid, batchSize, to.tx, to.position], {
        prepare: true,
      }),
    ),
  head: async (): Promise<number> => {
    const [row] = await sql<{ head: number | null }[]>`
      select max(global_position)::float8 as head from events`;
    return Number(row?.head ?? 0);
  },
});
