import { MAX_CHATS_LIMIT, RoutingPolicy } from "@support-chat/contracts";
import { BaseEnv } from "@support-chat/service-kit";
import { z } from "zod";

const millis = (fallback: number, min = 10) =>
  z.coerce
    .number()
    .int()
    .min(min)
    .max(24 * 3600_000)
    .default(fallback);

export const AssignmentConfig = BaseEnv.extend({
  DATABASE_URL: z.string().min(1).default("postgres://postgres@127.0.0.1:5432/postgres"),
  /** At least 3: the leadership lock and the migration lock each hold a connection of their own. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(3).max(200).default(10),
  /** /healthz, /readyz and /metrics; 0 picks a free port (tests). */
  ASSIGNMENT_OPS_PORT: z.coerce.number().int().min(0).max(65_535).default(3004),
  ROUTING_POLICY: RoutingPolicy.default("least-loaded"),
  /** Concurrent open chats per agent unless a manager set another number for them. */
  AGENT_MAX_CHATS: z.coerce.number().int().min(0).max(MAX_CHATS_LIMIT).default(3),
  /** How long an agent may be gone before their open rooms go back to the queue. */
  AGENT_OFFLINE_GRACE_MS: millis(60_000),
  /**
   * A gateway silent for this long has its agents counted as gone. Gateways heartbeat every
   * 5 s, so the default allows two missed beats; a dead gateway's agents expire within
   * PRESENCE_TTL_MS + ROUTING_SWEEP_MS of its last beat (under 30 s with the defaults).
   */
  PRESENCE_TTL_MS: millis(15_000),
  /** Queue snapshots are published on every change and at least this often. */
  QUEUE_BROADCAST_MS: millis(5000),
  /** The safety-net pass: expire presence, requeue rooms of absent agents, route what waits. */
  ROUTING_SWEEP_MS: millis(2000),
});
export type AssignmentConfig = z.infer<typeof AssignmentConfig>;
