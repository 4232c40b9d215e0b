import { BaseEnv, booleanFromEnv } from "@support-chat/service-kit";
import { LIMITS } from "@support-chat/contracts";
import { z } from "zod";

export const ChatServiceConfig = BaseEnv.extend({
  DATABASE_URL: z.string().min(1).default("postgres://postgres@127.0.0.1:5432/postgres"),
  /** At least 2: migrations hold one connection for their lock while another does the work. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  /** /healthz, /readyz and /metrics; 0 picks a free port (tests). */
  CHAT_OPS_PORT: z.coerce.number().int().min(0).max(65_535).default(3002),
  MESSAGE_MAX_LENGTH: z.coerce.number().int().min(1).max(20_000).default(LIMITS.messageMaxLength),
  /** Off only to run a replica that serves commands while another publishes the log. */
  RELAY_ENABLED: booleanFromEnv.default(true),
  /**
   * Message appends in flight at once; messages arriving while all are busy are committed
   * together in the next one (group commit). Each holds a pooled connection while it runs.
   */
  MESSAGE_APPEND_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  MESSAGE_APPEND_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  /** Past this many messages waiting to be stored, or this long waiting, one is refused. */
  MESSAGE_APPEND_MAX_WAITING: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  MESSAGE_APPEND_MAX_WAIT_MS: z.coerce.number().int().min(10).max(60_000).default(2000),
  RELAY_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  EVENT_STREAM_MAX_AGE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(168),
});
export type ChatServiceConfig = z.infer<typeof ChatServiceConfig>;
