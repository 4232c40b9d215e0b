import postgres from "postgres";
import type { LoggedEvent } from "../domain/log-audit.js";

/** Read-only access to the run's database: the event log and the rooms projection. */
export const openEventLog = (databaseUrl: string) => {
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  return {
    /** The whole log in commit order. */
    events: async (): Promise<LoggedEvent[]> => {
      const rows = await sql<{ global_position: string; type: string; data: unknown }[]>`
        select global_position, type, data from events order by global_position`;
      return rows.map((r) => ({
        globalPosition: Number(r.global_position),
        type: r.type,
        data: r.data as Record<string, unknown>,
      }));
    },
    /** The last seq of every room that has messages. */
    lastSeqs: async (): Promise<Map<string, number>> => {
      const rows = await sql<{ id: string; last_seq: number }[]>`
        select id, last_seq from chat_rooms where last_seq > 0`;
      return new Map(rows.map((r) => [r.id, r.last_seq]));
    },
    /** Rooms not closed (waiting or open). */
    openRooms: async (): Promise<number> => {
      const [row] = await sql<{ n: string }[]>`
        select count(*) as n from chat_rooms where status <> 'closed'`;
      return Number(row?.n ?? 0);
    },
    /** Rooms still open to the customer with no agent. */
    unassignedRooms: async (): Promise<string[]> => {
      const rows = await sql<{ id: string }[]>`
        select id from chat_rooms where status <> 'closed' and support_agent_id is null`;
      return rows.map((r) => r.id);
    },
    close: () => sql.end({ timeout: 2 }),
  };
};
export type EventLog = ReturnType<typeof openEventLog>;
