import type { NatsConnection } from "@nats-io/transport-node";
import {
  AgentSocketChanged,
  GatewayHeartbeat,
  isSupportRole,
  type Subjects,
} from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { withoutSocket, withSocket, type AgentRoster } from "../../domain/agent-roster.js";
import type { Principal } from "../../domain/principal.js";

export type Presence = {
  socketConnected(principal: Principal, socketId: string): void;
  socketDisconnected(principal: Principal, socketId: string): void;
  stop(): void;
};

/**
 * Tells the assignment service which agents have sockets here: a message per agent socket
 * change, and a heartbeat with the whole roster so that agents of a gateway that died are
 * dropped after the presence TTL. Plain NATS (not persisted): presence is only ever current.
 */
export const startPresence = (opts: {
  nc: NatsConnection;
  subjects: Subjects;
  gatewayId: string;
  heartbeatMs: number;
  log: Logger;
  now?: () => Date;
}): Presence => {
  const now = opts.now ?? (() => new Date());
  let roster: AgentRoster = new Map();
  const publish = (subject: string, body: unknown) => {
    try {
      opts.nc.publish(subject, JSON.stringify(body));
    } catch (err) {
      opts.log.warn({ err, subject }, "presence not published");
    }
  };
  const heartbeat = () =>
    publish(
      opts.subjects.presenceHeartbeat,
      GatewayHeartbeat.parse({
        gatewayId: opts.gatewayId,
        at: now().toISOString(),
        agents: [...roster.values()],
      }),
    );
  const changed = (principal: Principal, socketId: string, connected: boolean) =>
    publish(
      opts.subjects.presenceSocket,
      AgentSocketChanged.parse({
        gatewayId: opts.gatewayId,
        agentId: principal.id,
        agentName: principal.name,
        role: principal.role,
        socketId,
        connected,
        at: now().toISOString(),
      }),
    );
  heartbeat();
  const timer = setInterval(heartbeat, opts.heartbeatMs);
  timer.unref();
  return {
    socketConnected: (principal, socketId) => {
      if (!isSupportRole(principal.role)) return;
      roster = withSocket(roster, principal);
      changed(principal, socketId, true);
    },
    socketDisconnected: (principal, socketId) => {
      if (!isSupportRole(principal.role)) return;
      roster = withoutSocket(roster, principal.id);
      changed(principal, socketId, false);
    },
    stop: () => clearInterval(timer),
  };
};
