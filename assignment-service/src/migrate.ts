import { createLogger, loadConfig, runService } from "@support-chat/service-kit";
import { connectDatabase } from "./adapters/store/db.js";
import { applyMigrations } from "./adapters/store/migrate.js";
import { AssignmentConfig } from "./config.js";

/**
 * `node dist/src/migrate.js` (`npm run migrate -w @support-chat/assignment-service`): applies
 * the pending migrations of the assignment tables and exits 0. The Kubernetes init container
 * runs it before the service starts; the service also migrates at start, under the same
 * advisory lock, so either order is safe. An unreachable Postgres ends it with one line naming
 * the database, and exit code 1.
 */
const log = createLogger("assignment-migrate", process.env.LOG_LEVEL);

runService(log, async () => {
  const config = loadConfig(AssignmentConfig.pick({ DATABASE_URL: true }));
  // Two connections: the migration lock holds one while the migrator works through the other.
  const database = await connectDatabase(config.DATABASE_URL, 2, log);
  try {
    await applyMigrations(database.sql);
    log.info("assignment-service migrations applied");
  } finally {
    await database.close();
  }
});
