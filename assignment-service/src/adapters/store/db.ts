import { UnreachableError, type Logger } from "@support-chat/service-kit";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres, { type Sql } from "postgres";
import { schema, type Schema } from "./schema.js";

export type Database = PostgresJsDatabase<Schema>;
export type DatabaseHandle = { sql: Sql; db: Database; close: () => Promise<void> };

export const HOW_TO_START_POSTGRES =
  "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (or: docker compose up postgres)";

/** Opens the pool and proves Postgres answers, so a missing database fails the start clearly. */
export const connectDatabase = async (
  url: string,
  poolSize: number,
  log: Logger,
): Promise<DatabaseHandle> => {
  const sql = postgres(url, {
    max: poolSize,
    connect_timeout: 5,
    onnotice: (notice) => log.debug({ notice: notice.message }, "postgres notice"),
  });
  try {
    await sql`select 1`;
  } catch (cause) {
    await sql.end({ timeout: 1 }).catch(() => undefined);
    throw new UnreachableError("PostgreSQL", url, HOW_TO_START_POSTGRES, cause);
  }
  return { sql, db: drizzle({ client: sql, schema }), close: () => sql.end({ timeout: 5 }) };
};
