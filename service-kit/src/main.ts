import type { z } from "zod";
import { loadConfig } from "./config.js";
import { onShutdown, runService } from "./lifecycle.js";
import { createLogger, type Logger } from "./logger.js";
import { startTracing } from "./tracing.js";

type ServiceConfig = { LOG_LEVEL: string; SHUTDOWN_TIMEOUT_MS: number };

/**
 * The whole of a service's `main.ts`: tracing first (so every later span is recorded), the
 * configuration validated, the service started, and SIGTERM/SIGINT stopping it. A bad
 * configuration or an unreachable dependency ends the process with one clear line.
 */
export const serviceMain = <C extends ServiceConfig>(
  name: string,
  schema: z.ZodType<C>,
  start: (config: C, log: Logger) => Promise<{ stop: () => Promise<void> }>,
): void => {
  // The level is applied once the configuration is known to be valid.
  const log = createLogger(name);
  runService(log, async () => {
    await startTracing(name, { log });
    const config = loadConfig(schema);
    log.level = config.LOG_LEVEL;
    const service = await start(config, log);
    onShutdown(log, config.SHUTDOWN_TIMEOUT_MS, () => [{ name, run: service.stop }]);
  });
};
