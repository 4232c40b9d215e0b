import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres, { type Sql } from "postgres";
import type { Logger } from "./logger.js";
import { UnreachableError } from "./reachability.js";

/**
 * What the services that keep tables in Postgres share: opening a pool that proves it can reach
 * the database, and applying a service's own drizzle migrations under an advisory lock.
 * A separate entry point (`@support-chat/service-kit/postgres`) so services without a database
 * never load the driver.
 */

export const HOW_TO_START_POSTGRES =
  "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (or: docker compose up postgres)";

/** Opens the pool and proves Postgres answers, so a missing database fails the start clearly. */
export const connectPostgres = async (url: string, poolSize: number, log: Logger): Promise<Sql> => {
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
  return sql;
};

/**
 * The `drizzle/` folder of the package a module belongs to: migrations ship beside the
 * package, whether the code runs from src/ or from dist/.
 */
export const migrationsFolderOf = (moduleUrl: string, service: string): string => {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "drizzle");
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`${service} migrations (drizzle/meta/_journal.json) not found`);
};

export type Migrations = {
  folder: string;
  /**
   * The advisory lock replicas take turns on: one bigint key, or two int keys (a separate
   * lock space, so services sharing a database never wait on each other's locks).
   */
  lock: number | readonly [number, number];
  /** Where applied migrations are recorded; a table of its own per service sharing a database. */
  table?: string;
};

const lockSql = (connection: Sql, lock: Migrations["lock"], unlock: boolean) => {
  if (typeof lock === "number") {
    return unlock
      ? connection`select pg_advisory_unlock(${lock})`
      : connection`select pg_advisory_lock(${lock})`;
  }
  const [a, b] = lock;
  return unlock
    ? connection`select pg_advisory_unlock(${a}, ${b})`
    : connection`select pg_advisory_lock(${a}, ${b})`;
};

/**
 * Applies pending migrations. Replicas starting together take turns on the advisory lock,
 * held by one reserved connection while the migrator works through the rest of the pool (so
 * the pool needs at least two connections), and the migrator never runs twice at once.
 */
export const applyMigrations = async (sql: Sql, migrations: Migrations): Promise<void> => {
  const connection = await sql.reserve();
  try {
    await lockSql(connection, migrations.lock, false);
    try {
      await migrate(drizzle({ client: sql }), {
        migrationsFolder: migrations.folder,
        ...(migrations.table ? { migrationsTable: migrations.table } : {}),
      });
    } finally {
      await lockSql(connection, migrations.lock, true);
    }
  } finally {
    connection.release();
  }
};
