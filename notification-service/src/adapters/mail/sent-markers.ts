import type { Redis } from "ioredis";

/**
 * Durable enough "already sent" marks, in Redis. An e-mail is claimed before it is sent (so two
 * replicas, or a redelivery, never send it twice), marked sent after, and released when sending
 * failed so a retry can send it. JetStream only redelivers an event that was not acknowledged,
 * within minutes; a mark kept for days outlives every redelivery of its event. A crash between
 * the SMTP server accepting an e-mail and the mark being set leaves the claim to expire, and the
 * redelivered event sends it again: at least once, and a second copy only in that window.
 */
export type SentMarkers = {
  /** "claimed": this caller sends now; otherwise it was sent, or is being sent elsewhere. */
  claim: (key: string) => Promise<"claimed" | "sent" | "sending">;
  markSent: (key: string, ttlSeconds: number) => Promise<void>;
  release: (key: string) => Promise<void>;
};

const CLAIM_TTL_SECONDS = 120;

export const redisSentMarkers = (redis: Redis, prefix: string): SentMarkers => {
  const keyOf = (key: string) => `${prefix}:${key}`;
  return {
    claim: async (key) => {
      const claimed = await redis.set(keyOf(key), "sending", "EX", CLAIM_TTL_SECONDS, "NX");
      if (claimed === "OK") return "claimed";
      return (await redis.get(keyOf(key))) === "sent" ? "sent" : "sending";
    },
    markSent: async (key, ttlSeconds) => {
      await redis.set(keyOf(key), "sent", "EX", Math.max(1, ttlSeconds));
    },
    release: async (key) => {
      await redis.del(keyOf(key));
    },
  };
};
