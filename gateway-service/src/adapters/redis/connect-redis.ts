import { Redis } from "ioredis";
import { UnreachableError, type Logger } from "@support-chat/service-kit";

const CONNECT_TIMEOUT_MS = 3000;

/**
 * Connects explicitly and fails fast at start (instead of queueing commands forever), then
 * lets ioredis reconnect on its own once Redis has been reached. Commands issued while Redis is
 * away fail after a couple of retries rather than hanging a client's request.
 */
export const connectRedis = async (url: string, name: string, log: Logger): Promise<Redis> => {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // Rate-limit checks and adapter publishes of sockets served side by side share one write
    // (subscribe commands are never pipelined).
    enableAutoPipelining: true,
  });
  let reported = false;
  redis.on("error", (err: Error) => {
    // ioredis emits one error per failed reconnect; one line per outage is enough.
    if (!reported) log.warn({ err: err.message, redis: name }, "Redis connection error");
    reported = true;
  });
  redis.on("ready", () => {
    reported = false;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), CONNECT_TIMEOUT_MS + 500);
      }),
    ]);
  } catch (cause) {
    redis.disconnect();
    throw new UnreachableError(
      "Redis",
      url,
      "redis-server --daemonize yes (or: docker compose up redis)",
      cause,
    );
  } finally {
    clearTimeout(timer);
  }
  return redis;
};
