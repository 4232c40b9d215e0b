import type { Logger } from "@support-chat/service-kit";
import { connectPostgres } from "@support-chat/service-kit/postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import { schema, type Schema } from "./schema.js";

export type Database = PostgresJsDatabase<Schema>;
export type DatabaseHandle = { sql: Sql; db: Database; close: () => Promise<void> };

/** Opens the pool and proves Postgres answers, so a missing database fails the start clearly. */
export const connectDatabase = async (
  url: string,
  poolSize: number,
  log: Logger,
): Promise<DatabaseHandle> => {
  const sql = await connectPostgres(url, poolSize, log);
  return { sql, db: drizzle({ client: sql, schema }), close: () => sql.end({ timeout: 5 }) };
};
