import type { Redis } from "ioredis";
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { rateLimitedError, type LimitedAction } from "../../domain/rate-limit.js";

/** How long the extra burst allowance takes to refill. */
const BURST_WINDOW_SECONDS = 10;

export type RateLimits = {
  /** Resolves when the user may send one more message; throws RATE_LIMITED otherwise. */
  message(userId: string): Promise<void>;
  typing(userId: string): Promise<void>;
};

export type RateLimitSettings = {
  messagesPerSecond: number;
  messageBurst: number;
  typingPerSecond: number;
};

type Limiter = { consume(key: string): Promise<RateLimiterRes> };

/**
 * Per-user limits shared by every gateway replica through Redis. If Redis goes away, an
 * in-memory limiter per replica stands in rather than letting floods through or refusing all.
 */
export const createRateLimits = (
  redis: Redis,
  keyPrefix: string,
  settings: RateLimitSettings,
): RateLimits => {
  const limiter = (name: string, points: number, duration: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}:${name}`,
      points,
      duration,
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  const steady = limiter("msg", settings.messagesPerSecond, 1);
  const messages: Limiter =
    settings.messageBurst > 0
      ? new BurstyRateLimiter(
          steady,
          limiter("msg-burst", settings.messageBurst, BURST_WINDOW_SECONDS),
        )
      : steady;
  const typing = limiter("typing", settings.typingPerSecond, 1);
  return {
    message: (userId) => consume(messages, userId, "messages", settings.messagesPerSecond),
    typing: (userId) => consume(typing, userId, "typing", settings.typingPerSecond),
  };
};

const consume = async (
  limiter: Limiter,
  userId: string,
  action: LimitedAction,
  perSecond: number,
): Promise<void> => {
  try {
    await limiter.consume(userId);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw rateLimitedError(action, perSecond, e.msBeforeNext);
    throw e;
  }
};
