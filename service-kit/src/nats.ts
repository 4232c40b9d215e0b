import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { UnreachableError } from "./reachability.js";

/**
 * Connects to NATS, failing fast with a message that says where it looked and how to start
 * it, then reconnecting forever once it has been reached.
 */
export const connectNats = async (
  url: string,
  name: string,
  log: Logger,
): Promise<NatsConnection> => {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: url.split(","),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout: 3000,
      // Every request would otherwise build two Errors up front to keep the caller's stack for
      // a failure: 3-5% of a service's CPU on the message path. Callers turn request failures
      // into UNAVAILABLE naming the operation, which says where it happened.
      noAsyncTraces: true,
    });
  } catch (cause) {
    throw new UnreachableError("NATS", url, "nats-server -js (or: docker compose up nats)", cause);
  }
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "disconnect" || s.type === "reconnect" || s.type === "error") {
        log.warn({ nats: s.type }, `NATS ${s.type}`);
      }
    }
  })();
  return nc;
};
