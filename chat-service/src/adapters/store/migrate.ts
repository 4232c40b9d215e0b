import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { Sql } from "postgres";

/** The migrations ship beside the package, whether this runs from src/ or from dist/. */
const migrationsFolder = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "drizzle");
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("chat-service migrations (drizzle/meta/_journal.json) not found");
};

// Any constant works; it only has to be the same in every replica.
const MIGRATION_LOCK = 7_302_114_001;

/**
 * Applies pending migrations. Replicas starting together take turns on an advisory lock, held
 * by one reserved connection while the migrator works through the rest of the pool, so the
 * migrator never runs twice at once against the same database.
 */
export const applyMigrations = async (sql: Sql): Promise<void> => {
  const connection = await sql.reserve();
  try {
    await connection`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(drizzle({ client: sql }), { migrationsFolder: migrationsFolder() });
    } finally {
      await connection`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    connection.release();
  }
};
