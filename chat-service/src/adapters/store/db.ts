import type { Logger } from "@support-chat/service-kit";
import { connectPostgres } from "@support-chat/service-kit/postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import { schema, type Schema } from "./schema.js";

export type Database = PostgresJsDatabase<Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run a query: the pool or an open transaction. */
export type Queryable = Database | Transaction;

export type DatabaseHandle = { sql: Sql; db: Database; close: () => Promise<void> };

/** Opens the pool and proves Postgres answers, so a missing database fails the start clearly. */
export const connectDatabase = async (
  url: string,
  poolSize: number,
  log: Logger,
): Promise<DatabaseHandle> => {
  const sql = await connectPostgres(url, poolSize, log);
  const db = drizzle({ client: sql, schema });
  return { sql, db, close: () => sql.end({ timeout: 5 }) };
};

type PgError = { code?: string; constraint_name?: string };

/** The Postgres error under drizzle's wrapper, if the failure came from the database. */
const pgErrorOf = (e: unknown): PgError | undefined => {
  for (let current = e, depth = 0; current && depth < 4; depth++) {
    const candidate = current as PgError & { cause?: unknown };
    if (typeof candidate.code === "string" && candidate.code.length === 5) return candidate;
    current = candidate.cause;
  }
  return undefined;
};

export const isUniqueViolation = (e: unknown, constraint: string): boolean => {
  const pg = pgErrorOf(e);
  return pg?.code === "23505" && pg.constraint_name === constraint;
};
