import { UnreachableError, type Logger } from "@support-chat/service-kit";
import { Redis } from "ioredis";

/**
 * Connects to Redis, failing fast with a message that says where it looked and how to start it;
 * once reached, it reconnects by itself and commands issued meanwhile fail after a few retries
 * instead of waiting forever.
 */
export const connectRedis = async (url: string, log: Logger): Promise<Redis> => {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 3,
    // The pushes of events handled side by side go out in one write instead of one each.
    enableAutoPipelining: true,
  });
  let firstError: unknown;
  const rememberError = (err: unknown) => {
    firstError ??= err;
  };
  redis.on("error", rememberError);
  try {
    await redis.connect();
  } catch (cause) {
    redis.disconnect();
    throw new UnreachableError(
      "Redis",
      url,
      "redis-server (or: docker compose up redis)",
      firstError ?? cause,
    );
  }
  redis.off("error", rememberError);
  redis.on("error", (err: Error) => log.warn({ err: err.message }, "Redis error"));
  return redis;
};
