import type { Server } from "node:http";
import type { NatsConnection } from "@nats-io/transport-node";
import { opsHandler, startOpsServer } from "@support-chat/service-kit";
import type { Sql } from "postgres";
import type { Registry } from "prom-client";

/** /healthz, /readyz (Postgres, NATS, and the queue read from the chat service) and /metrics. */
export const startAssignmentOps = (opts: {
  port: number;
  registry: Registry;
  sql: Sql;
  nc: NatsConnection;
  isReady: () => boolean;
  isDraining: () => boolean;
}): Promise<Server> =>
  startOpsServer(
    opts.port,
    opsHandler({
      registry: opts.registry,
      checks: [
        { name: "postgres", check: () => opts.sql`select 1` },
        {
          name: "nats",
          check: async () => {
            if (opts.nc.isClosed()) throw new Error("closed");
            await opts.nc.flush();
          },
        },
        {
          name: "queue",
          check: async () => {
            if (!opts.isReady()) throw new Error("rooms not read from the chat service yet");
          },
        },
      ],
      isDraining: opts.isDraining,
    }),
  );
