import { applyMigrations as apply, migrationsFolderOf } from "@support-chat/service-kit/postgres";
import type { Sql } from "postgres";

// Any constant works; it only has to be the same in every replica.
const MIGRATION_LOCK = 7_302_114_001;

/**
 * Applies pending migrations. Replicas starting together take turns on an advisory lock, so
 * the migrator never runs twice at once against the same database.
 */
export const applyMigrations = (sql: Sql): Promise<void> =>
  apply(sql, { folder: migrationsFolderOf(import.meta.url, "chat-service"), lock: MIGRATION_LOCK });
