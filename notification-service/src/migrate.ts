import { createLogger, loadConfig, runService } from "@support-chat/service-kit";
import { connectPostgres } from "@support-chat/service-kit/postgres";
import { applyWebhookMigrations } from "./adapters/webhooks/database.js";
import { WebhookEnv } from "./webhook-config.js";

/**
 * `node dist/src/migrate.js` (`npm run migrate -w @support-chat/notification-service`):
 * applies the pending migrations of the webhook tables and exits 0. The Kubernetes init
 * container runs it before the service starts; the service also migrates at start, under the
 * same advisory lock, so either order is safe. An unreachable Postgres ends it with one line
 * naming the database, and exit code 1.
 */
const log = createLogger("notification-migrate", process.env.LOG_LEVEL);

runService(log, async () => {
  const config = loadConfig(WebhookEnv.pick({ DATABASE_URL: true }));
  // Two connections: the migration lock holds one while the migrator works through the other.
  const sql = await connectPostgres(config.DATABASE_URL, 2, log);
  try {
    await applyWebhookMigrations(sql);
    log.info("notification-service migrations applied");
  } finally {
    await sql.end({ timeout: 5 });
  }
});
