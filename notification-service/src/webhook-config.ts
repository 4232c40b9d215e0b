import { booleanFromEnv } from "@support-chat/service-kit";
import { z } from "zod";

const millis = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const HOUR = 3600_000;

/** The notification service's webhook settings (its own tables in Postgres, and delivery). */
export const WebhookEnv = z.object({
  /** Where the webhook subscriptions and deliveries are kept (tables `webhook_*`). */
  DATABASE_URL: z.string().min(1).default("postgres://postgres@127.0.0.1:5432/postgres"),
  /** At least 3: the migration lock holds one connection while the migrator uses another. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(3).max(200).default(10),
  /** Plain http:// endpoints, for development and tests only; refused with NODE_ENV=production. */
  WEBHOOK_ALLOW_HTTP: booleanFromEnv.default(false),
  /** Endpoints on loopback, private or link-local addresses (e.g. a receiver in the same cluster). */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanFromEnv.default(false),
  /** How long one attempt may take, connecting included; longer counts as a failure. */
  WEBHOOK_TIMEOUT_MS: millis(10_000, 100, 120_000),
  /** The delay after a first failure; it doubles per failure (with jitter) up to the maximum. */
  WEBHOOK_RETRY_BASE_MS: millis(10_000, 10, HOUR),
  WEBHOOK_RETRY_MAX_DELAY_MS: millis(HOUR, 10, 24 * HOUR),
  /** Attempts in all; after the last failure the delivery is marked failed. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(15),
  /** A delivery is not retried beyond this age. */
  WEBHOOK_MAX_AGE_MS: millis(72 * HOUR, 1000, 30 * 24 * HOUR),
  /** Attempts in flight at once in one replica, and to any one endpoint. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Delivered and failed deliveries are deleted once this old (pending ones never are). */
  WEBHOOK_RETENTION_MS: millis(30 * 24 * HOUR, HOUR, 365 * 24 * HOUR),
  /** How often each replica looks for due deliveries when nothing woke it sooner. */
  WEBHOOK_POLL_INTERVAL_MS: millis(1000, 10, 60_000),
});
export type WebhookEnv = z.infer<typeof WebhookEnv>;

/** Refuses settings that only make sense on a developer's machine. */
export const refuseUnsafeWebhookSettings = (
  env: WebhookEnv & { NODE_ENV: string },
  ctx: z.RefinementCtx,
): void => {
  if (env.WEBHOOK_ALLOW_HTTP && env.NODE_ENV === "production") {
    ctx.addIssue({
      code: "custom",
      path: ["WEBHOOK_ALLOW_HTTP"],
      message:
        "plain http webhooks send signed events unencrypted; refused with NODE_ENV=production",
    });
  }
};
