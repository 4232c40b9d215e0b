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
  throw new Error("assignment-service migrations (drizzle/meta/_journal.json) not found");
};

/**
 * The two-key advisory lock space is separate from the one-key space the chat service uses
 * for its own locks, so sharing a database never makes the services wait on each other.
 */
const MIGRATION_LOCK = [0x61736731, 1] as const;

/**
 * Applies pending migrations, recorded in a table of our own so the chat service's migrations
 * in the same database are never confused with ours. Replicas starting together take turns.
 */
export const applyMigrations = async (sql: Sql): Promise<void> => {
  const connection = await sql.reserve();
  try {
    await connection`select pg_advisory_lock(${MIGRATION_LOCK[0]}, ${MIGRATION_LOCK[1]})`;
    try {
      await migrate(drizzle({ client: sql }), {
        migrationsFolder: migrationsFolder(),
        migrationsTable: "__assignment_migrations",
      });
    } finally {
      await connection`select pg_advisory_unlock(${MIGRATION_LOCK[0]}, ${MIGRATION_LOCK[1]})`;
    }
  } finally {
    connection.release();
  }
};
