import { createLogger, loadConfig, runService } from "@support-chat/service-kit";
import { connectDatabase } from "./adapters/store/db.js";
import { applyMigrations } from "./adapters/store/migrate.js";
import { rebuildProjections } from "./adapters/store/rebuild.js";
import { ChatServiceConfig } from "./config.js";

/** `npm run rebuild-projections -w @support-chat/chat-service`: projections from the log, anew. */
const log = createLogger("chat-rebuild", process.env.LOG_LEVEL);

runService(log, async () => {
  const config = loadConfig(ChatServiceConfig);
  const database = await connectDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE, log);
  try {
    await applyMigrations(database.sql);
    const started = performance.now();
    const replayed = await rebuildProjections(database.db);
    log.info(
      { replayed, ms: Math.round(performance.now() - started) },
      "projections rebuilt from the event log",
    );
  } finally {
    await database.close();
  }
});
