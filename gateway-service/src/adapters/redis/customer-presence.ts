import { customerPresenceKeys, socketMember } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import type { Redis } from "ioredis";
import type { Principal } from "../../domain/principal.js";
import type { Presence } from "../bus/presence.js";

/**
 * One EVAL instead of a MULTI per connecting socket: a reconnect storm of thousands of customers
 * leaves a command each on the heap, not a transaction's worth of objects each (20.6 → 15.1 KB
 * per idle socket in the benchmark). Plain EVAL, not a defined command: with auto-pipelining,
 * ioredis delayed the EVALSHA batches (and the adapter's publishes behind them) by ~2 s.
 */
const CONNECTED_SCRIPT = `
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], 'connectedAt', ARGV[3])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], 'email', ARGV[4])
else
  redis.call('HDEL', KEYS[2], 'email')
end
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1`;

/** A customer's presence record outlives their visit by this much, then Redis drops it. */
const PRESENCE_TTL_SECONDS = 30 * 86_400;

/**
 * Records in Redis which customers have a socket here and when their last one closed, for the
 * notification service's offline notices (see `customerPresenceKeys`). The gateway's `alive`
 * key, refreshed with every heartbeat, is what makes its sockets count: if it dies, they stop
 * counting once the key expires. Best effort: a Redis error is logged, never felt by the client.
 */
export const startCustomerPresence = (opts: {
  redis: Redis;
  namespace: string;
  gatewayId: string;
  heartbeatMs: number;
  log: Logger;
  now?: () => number;
}): Presence => {
  const { redis, gatewayId, log } = opts;
  const now = opts.now ?? Date.now;
  const keys = customerPresenceKeys(opts.namespace);
  const aliveMs = opts.heartbeatMs * 3;
  const report = (err: unknown) => log.warn({ err }, "customer presence not recorded");

  const heartbeat = () =>
    void redis.set(keys.gatewayAlive(gatewayId), String(now()), "PX", aliveMs).catch(report);
  heartbeat();
  const timer = setInterval(heartbeat, opts.heartbeatMs);
  timer.unref();

  return {
    socketConnected: (principal: Principal, socketId: string) => {
      if (principal.role !== "customer") return;
      // The token's address, or none: an address dropped from the token is dropped here too.
      void redis
        .eval(
          CONNECTED_SCRIPT,
          2,
          keys.sockets(principal.id),
          keys.presence(principal.id),
          socketMember(gatewayId, socketId),
          String(PRESENCE_TTL_SECONDS),
          String(now()),
          principal.email ?? "",
        )
        .catch(report);
    },
    socketDisconnected: (principal: Principal, socketId: string) => {
      if (principal.role !== "customer") return;
      const presence = keys.presence(principal.id);
      const sockets = keys.sockets(principal.id);
      // The last socket to go records when the customer left; removal and count in one step.
      void redis
        .eval(
          `redis.call('SREM', KEYS[1], ARGV[1])
           if redis.call('SCARD', KEYS[1]) == 0 then
             redis.call('HSET', KEYS[2], 'disconnectedAt', ARGV[2])
             redis.call('EXPIRE', KEYS[2], ARGV[3])
           end
           return 1`,
          2,
          sockets,
          presence,
          socketMember(gatewayId, socketId),
          String(now()),
          String(PRESENCE_TTL_SECONDS),
        )
        .catch(report);
    },
    stop: () => {
      clearInterval(timer);
      void redis.del(keys.gatewayAlive(gatewayId)).catch(() => undefined);
    },
  };
};

/** Both presences (agents over NATS, customers in Redis) behind the one interface. */
export const bothPresences = (...all: Presence[]): Presence => ({
  socketConnected: (principal, socketId) =>
    all.forEach((p) => p.socketConnected(principal, socketId)),
  socketDisconnected: (principal, socketId) =>
    all.forEach((p) => p.socketDisconnected(principal, socketId)),
  stop: () => all.forEach((p) => p.stop()),
});
