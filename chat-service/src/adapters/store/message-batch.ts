import { DomainError } from "@support-chat/contracts";
import { getTableColumns } from "drizzle-orm";
import type { Sql } from "postgres";
import { EVENTS_APPENDED_CHANNEL } from "./channel.js";
import { messageRoomChangesOf, messageRowOf, type Recorded } from "./projections.js";
import type { StoredMetadata } from "./recorded.js";
import { chatMessages, chatRooms } from "./schema.js";

/** A posted message ready to be appended at the stream position its room's cache expects. */
export type MessageAppend = Readonly<{
  event: Recorded<"MessagePosted">;
  /** What the log keeps in its `metadata` column (the rest of the metadata has columns). */
  stored: StoredMetadata;
}>;

/** Where the event landed, or "conflict" when another writer took its stream position first. */
export type MessageAppendOutcome = Readonly<{ globalPosition: number }> | "conflict";

export type MessageBatcher = { append: (item: MessageAppend) => Promise<MessageAppendOutcome> };

type Waiting = {
  item: MessageAppend;
  since: number;
  resolve: (outcome: MessageAppendOutcome) => void;
  reject: (e: unknown) => void;
};

/** Property name → column name, so the JSON rows below name the table's own columns. */
const columnNames = (table: typeof chatMessages | typeof chatRooms) => {
  const names = new Map<string, string>();
  for (const [key, column] of Object.entries(getTableColumns(table))) names.set(key, column.name);
  return names;
};
const MESSAGE_COLUMNS = columnNames(chatMessages);
const ROOM_COLUMNS = columnNames(chatRooms);

const asColumns = (row: Record<string, unknown>, names: Map<string, string>) => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[names.get(key) ?? key] = value;
  return out;
};

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * The whole append of a batch as one statement, so one round trip and one durable commit:
 * lock the rooms (the same advisory lock every writer of a room takes, in one order so two
 * batches cannot deadlock), insert the events where their stream position is still free,
 * and project exactly the inserted ones into `chat_messages` and `chat_rooms`. An event whose
 * position was taken is left out (ON CONFLICT DO NOTHING), and so are its projections: that
 * writer's cache was stale and it decides again. The text depends only on which columns the
 * shared projection rows have, so each shape is prepared once per connection.
 */
const statementFor = (messageKeys: string[], roomKeys: string[]): string => {
  const messageColumns = messageKeys.map(quote).join(", ");
  const messageValues = messageKeys.map((c) => `m.${quote(c)}`).join(", ");
  const roomSets = roomKeys
    .filter((c) => c !== "id")
    .map((c) => `${quote(c)} = r.${quote(c)}`)
    .join(", ");
  return `
    with locked as (
      select count(pg_advisory_xact_lock(l.h)) as n
      from (select distinct hashtext(k) as h from jsonb_array_elements_text($1::jsonb) as k
            order by 1) as l
    ),
    appended as (
      insert into events (stream_id, stream_position, event_id, type, data, metadata, occurred_at)
      select e.stream_id, e.stream_position, e.event_id, 'MessagePosted', e.data, e.metadata,
        e.occurred_at
      from jsonb_to_recordset($2::jsonb) as e(stream_id text, stream_position int, event_id uuid,
        data jsonb, metadata jsonb, occurred_at timestamptz)
      cross join locked
      on conflict (stream_id, stream_position) do nothing
      returning event_id, global_position, (data->>'messageId')::uuid as message_id,
        (data->>'roomId')::uuid as room_id
    ),
    messages as (
      insert into chat_messages (${messageColumns})
      select ${messageValues}
      from jsonb_populate_recordset(null::chat_messages, $3::jsonb) as m
      join appended a on a.message_id = m.id
    ),
    rooms as (
      update chat_rooms as c set
        unread_for_customer = c.unread_for_customer + r.unread_for_customer,
        unread_for_support = c.unread_for_support + r.unread_for_support,
        ${roomSets}
      from jsonb_populate_recordset(null::chat_rooms, $4::jsonb) as r
      join appended a on a.room_id = r.id
      where c.id = r.id
    )
    select a.event_id::text as event_id, a.global_position::float8 as global_position,
      (select pg_notify('${EVENTS_APPENDED_CHANNEL}', '')) is null as notified
    from appended a`;
};

type Row = { event_id: string; global_position: number };

const runBatch = async (
  sql: Sql,
  items: readonly MessageAppend[],
): Promise<Map<string, number>> => {
  const locks = items.map((i) => `room:${i.event.data.roomId}`);
  const events = items.map(({ event, stored }) => ({
    stream_id: event.metadata.streamId,
    stream_position: event.metadata.streamPosition,
    event_id: event.metadata.eventId,
    data: event.data,
    metadata: stored,
    occurred_at: event.metadata.occurredAt,
  }));
  const messages = items.map(({ event }) => asColumns(messageRowOf(event), MESSAGE_COLUMNS));
  const rooms = items.map(({ event }) =>
    asColumns(
      {
        id: event.data.roomId,
        // Increments: a message is unread for the side that did not write it.
        unreadForCustomer: event.data.isFromSupport ? 1 : 0,
        unreadForSupport: event.data.isFromSupport ? 0 : 1,
        ...messageRoomChangesOf(event),
      },
      ROOM_COLUMNS,
    ),
  );
  const roomKeys = Object.keys(rooms[0]!).filter(
    (c) => c !== "unread_for_customer" && c !== "unread_for_support",
  );
  const text = statementFor(Object.keys(messages[0]!), roomKeys);
  const rows = await sql.unsafe<Row[]>(
    text,
    [
      JSON.stringify(locks),
      JSON.stringify(events),
      JSON.stringify(messages),
      JSON.stringify(rooms),
    ],
    { prepare: true },
  );
  return new Map(rows.map((r) => [r.event_id, Number(r.global_position)]));
};

/**
 * Group commit for posted messages: a message goes out at once when a slot is free, and the
 * messages that arrive while every slot is busy go together in the next statement. Under load
 * that turns many small commits into few larger ones (fewer round trips, fewer WAL flushes,
 * less work per message on both sides) without making a lone message wait.
 */
export const createMessageBatcher = (deps: {
  sql: Sql;
  /** Statements in flight at once (each holds one pooled connection while it runs). */
  concurrency: number;
  maxBatch: number;
  /**
   * Admission control: past this many messages waiting, or this long waiting, a message is
   * refused (UNAVAILABLE) instead of stored late. The client retries with the same
   * clientMessageId; storing it after the gateway gave up would be work nobody waits for.
   */
  maxWaiting: number;
  maxWaitMs: number;
  onShed: (count: number) => void;
}): MessageBatcher => {
  const waiting: Waiting[] = [];
  let inFlight = 0;

  const overloaded = () =>
    new DomainError("UNAVAILABLE", "too many messages are waiting to be stored; try again");

  /** The next batch, leaving out (and refusing) what waited too long. */
  const nextBatch = (): Waiting[] => {
    const oldest = performance.now() - deps.maxWaitMs;
    let shed = 0;
    while (waiting.length > 0 && waiting[0]!.since < oldest) {
      waiting.shift()!.reject(overloaded());
      shed++;
    }
    if (shed > 0) deps.onShed(shed);
    return waiting.splice(0, deps.maxBatch);
  };

  const settle = (batch: Waiting[], positions: Map<string, number>) => {
    for (const w of batch) {
      const position = positions.get(w.item.event.metadata.eventId);
      w.resolve(position === undefined ? "conflict" : { globalPosition: position });
    }
  };

  const run = async (batch: Waiting[]): Promise<void> => {
    try {
      settle(
        batch,
        await runBatch(
          deps.sql,
          batch.map((w) => w.item),
        ),
      );
    } catch (e) {
      if (batch.length === 1) {
        batch[0]!.reject(e);
        return;
      }
      // One message's failure must not fail its neighbours: each goes again on its own.
      await Promise.all(batch.map((w) => run([w])));
    }
  };

  const flush = (): void => {
    while (inFlight < deps.concurrency && waiting.length > 0) {
      const batch = nextBatch();
      if (batch.length === 0) return;
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
  };

  return {
    append: (item) =>
      new Promise<MessageAppendOutcome>((resolve, reject) => {
        if (waiting.length >= deps.maxWaiting) {
          deps.onShed(1);
          reject(overloaded());
          return;
        }
        waiting.push({ item, since: performance.now(), resolve, reject });
        flush();
      }),
  };
};
