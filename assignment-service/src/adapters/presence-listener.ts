import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { AgentSocketChanged, GatewayHeartbeat, type Subjects } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { onHeartbeat, onSocketChanged } from "../domain/state.js";
import type { LiveState } from "./live-state.js";
import { decodeWith } from "./wire.js";

/**
 * Hears what the gateways say about agent sockets. Every replica listens (plain subscriptions,
 * no queue group), so a standby knows who is online the moment it takes over.
 */
export const listenToPresence = (opts: {
  nc: NatsConnection;
  subjects: Subjects;
  live: LiveState;
  log: Logger;
}): Subscription[] => {
  const { nc, subjects, live, log } = opts;
  const sockets = nc.subscribe(subjects.presenceSocket, {
    callback: (err, msg) => {
      if (err) return log.error({ err }, "presence subscription failed");
      const decoded = decodeWith(AgentSocketChanged, msg.data);
      if (!decoded.ok)
        return log.warn({ problem: decoded.problem }, "dropped a bad socket message");
      live.update((s, now) => onSocketChanged(s, decoded.value, now, live.rules));
    },
  });
  const heartbeats = nc.subscribe(subjects.presenceHeartbeat, {
    callback: (err, msg) => {
      if (err) return log.error({ err }, "heartbeat subscription failed");
      const decoded = decodeWith(GatewayHeartbeat, msg.data);
      if (!decoded.ok) return log.warn({ problem: decoded.problem }, "dropped a bad heartbeat");
      live.update((s, now) => onHeartbeat(s, decoded.value, now, live.rules));
    },
  });
  return [sockets, heartbeats];
};
