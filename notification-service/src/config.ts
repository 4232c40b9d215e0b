import { BaseEnv } from "@support-chat/service-kit";
import { z } from "zod";
import { QUEUE_REPUSH_MS } from "./domain/queue-pushes.js";
import { refuseUnsafeWebhookSettings, WebhookEnv } from "./webhook-config.js";
import { MailEnv } from "./mail-config.js";

export const NotificationConfig = BaseEnv.extend({
  REDIS_URL: z.string().min(1).default("redis://127.0.0.1:6379"),
  /** Must match the gateways' Redis adapter key, or pushes reach nobody. */
  SOCKET_IO_REDIS_KEY: z.string().min(1).default("socket.io"),
  NOTIFICATION_OPS_PORT: z.coerce.number().int().min(0).max(65_535).default(3003),
  /** First redelivery delay when the chat service cannot answer; doubles per attempt. */
  NOTIFICATION_RETRY_DELAY_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
  NOTIFICATION_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
  /** Room events handled at once; events of one room are always handled one after another. */
  NOTIFICATION_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  /** Unchanged queue positions are pushed to a waiting customer again at most this often. */
  NOTIFICATION_QUEUE_REPUSH_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(QUEUE_REPUSH_MS),
  ...WebhookEnv.shape,
  ...MailEnv.shape,
}).superRefine(refuseUnsafeWebhookSettings);
export type NotificationConfig = z.infer<typeof NotificationConfig>;
