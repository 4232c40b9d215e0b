import type { ServiceProcess } from "@support-chat/system-tests/src/processes.js";
import type { FaultName } from "../profile.js";
import { nats, postgresServer, redis, type BackingService } from "./backing-services.js";
import type { Cluster } from "./cluster.js";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type FaultTiming = {
  /** When the process died or the backing service stopped. */
  downAt: number;
  /** When it was started again (and, for a process, answered /readyz). */
  backAt: number;
};

export type Fault = {
  name: FaultName;
  description: string;
  /** Takes the component down, keeps it down for `downMs`, brings it back. */
  inject: (downMs: number, whileDown: () => void) => Promise<FaultTiming>;
};

const crash = (process: ServiceProcess, name: FaultName, description: string): Fault => ({
  name,
  description,
  inject: async (downMs, whileDown) => {
    await process.kill();
    const downAt = Date.now();
    whileDown();
    await pause(downMs);
    await process.start(60_000);
    return { downAt, backAt: Date.now() };
  },
});

const restart = (service: BackingService, name: FaultName, description: string): Fault => ({
  name,
  description,
  inject: async (downMs, whileDown) => {
    await service.stop();
    const downAt = Date.now();
    whileDown();
    await pause(downMs);
    await service.start();
    await service.ready();
    return { downAt, backAt: Date.now() };
  },
});

/** The fault of each name, against this cluster; `round` picks which gateway dies. */
export const faultsFor = (
  cluster: Cluster,
  urls: { nats: string; postgresAdmin: string },
  round: number,
): Record<FaultName, Fault> => {
  const gateway = cluster.gateways[round % cluster.gateways.length]!;
  return {
    gateway: crash(gateway, "gateway", `kill -9 gateway ${(round % 2) + 1} of 2, then start it`),
    "chat-service": crash(cluster.chat, "chat-service", "kill -9 the chat service, then start it"),
    "notification-service": crash(
      cluster.notification,
      "notification-service",
      "kill -9 the notification service, then start it",
    ),
    "assignment-service": crash(
      cluster.assignment,
      "assignment-service",
      "kill -9 the assignment service, then start it",
    ),
    nats: restart(nats(urls.nats), "nats", "stop the NATS server (JetStream), then start it"),
    redis: restart(redis(), "redis", "shut Redis down (nosave), then start it"),
    postgres: restart(
      postgresServer(urls.postgresAdmin),
      "postgres",
      "stop the PostgreSQL cluster, then start it",
    ),
  };
};
