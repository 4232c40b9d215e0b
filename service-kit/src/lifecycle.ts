import type { Logger } from "pino";
import { ConfigError } from "./config.js";
import { UnreachableError } from "./reachability.js";
import { stopTracing } from "./tracing.js";

export type ShutdownStep = { name: string; run: () => Promise<unknown> };

/**
 * On SIGTERM/SIGINT runs the steps in order (stop taking work, finish what is in flight, close
 * connections), each bounded by what is left of the timeout, then sends the spans still
 * buffered (when tracing is on) and exits.
 */
export const onShutdown = (log: Logger, timeoutMs: number, steps: () => ShutdownStep[]) => {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const deadline = Date.now() + timeoutMs;
    const tracing: ShutdownStep = { name: "tracing", run: stopTracing };
    for (const step of [...steps(), tracing]) {
      const left = deadline - Date.now();
      try {
        await Promise.race([
          step.run(),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error("timed out")), Math.max(left, 1)).unref(),
          ),
        ]);
      } catch (err) {
        log.warn({ err, step: step.name }, "shutdown step did not finish cleanly");
      }
    }
    log.info("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
};

/**
 * Runs a service's start function. A configuration problem or an unreachable dependency ends
 * the process with one clear line (no stack trace); anything else is logged in full.
 */
export const runService = (log: Logger, start: () => Promise<void>): void => {
  start().catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof UnreachableError) {
      log.fatal(err.message);
      process.stderr.write(`${log.bindings()["service"] ?? "service"}: ${err.message}\n`);
    } else {
      log.fatal({ err }, "failed to start");
    }
    process.exit(1);
  });
};
