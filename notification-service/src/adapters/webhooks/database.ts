import type { Logger } from "@support-chat/service-kit";
import {
  applyMigrations,
  connectPostgres,
  migrationsFolderOf,
} from "@support-chat/service-kit/postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import { schema, type Schema } from "./schema.js";

export type WebhookDatabase = {
  sql: Sql;
  db: PostgresJsDatabase<Schema>;
  close: () => Promise<void>;
};

/**
 * Our own lock (two-key space, apart from the chat service's one-key locks and the assignment
 * service's pair) and migrations table, so the services sharing a database never wait on or
 * confuse each other's migrations.
 */
const MIGRATION_LOCK = [0x6e6f7466, 1] as const;

export const applyWebhookMigrations = (sql: Sql): Promise<void> =>
  applyMigrations(sql, {
    folder: migrationsFolderOf(import.meta.url, "notification-service"),
    lock: MIGRATION_LOCK,
    table: "__notification_migrations",
  });

/** Opens the pool (proving Postgres answers) and applies pending migrations. */
export const openWebhookDatabase = async (
  url: string,
  poolSize: number,
  log: Logger,
): Promise<WebhookDatabase> => {
  const sql = await connectPostgres(url, poolSize, log);
  try {
    await applyWebhookMigrations(sql);
  } catch (e) {
    await sql.end({ timeout: 1 }).catch(() => undefined);
    throw e;
  }
  return { sql, db: drizzle({ client: sql, schema }), close: () => sql.end({ timeout: 5 }) };
};
