import { applyMigrations as apply, migrationsFolderOf } from "@support-chat/service-kit/postgres";
import type { Sql } from "postgres";

/**
 * The two-key advisory lock space is separate from the one-key space the chat service uses
 * for its own locks, so sharing a database never makes the services wait on each other.
 */
const MIGRATION_LOCK = [0x61736731, 1] as const;

/**
 * Applies pending migrations, recorded in a table of our own so the chat service's migrations
 * in the same database are never confused with ours. Replicas starting together take turns.
 */
export const applyMigrations = (sql: Sql): Promise<void> =>
  apply(sql, {
    folder: migrationsFolderOf(import.meta.url, "assignment-service"),
    lock: MIGRATION_LOCK,
    table: "__assignment_migrations",
  });
