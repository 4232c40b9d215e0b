import { customerPresenceKeys, gatewayOfMember } from "@support-chat/contracts";
import type { Redis } from "ioredis";
import type { CustomerPresence } from "../../domain/mail/offline-notice.js";

const numberOrNull = (value: string | undefined): number | null => {
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) ? null : n;
};

/**
 * Reads what the gateways recorded about a customer's sockets. A socket counts only while its
 * gateway's `alive` key exists, so a gateway that died without saying goodbye stops counting.
 */
export const readCustomerPresence = async (
  redis: Redis,
  namespace: string,
  customerId: string,
): Promise<CustomerPresence> => {
  const keys = customerPresenceKeys(namespace);
  const [members, fields] = await Promise.all([
    redis.smembers(keys.sockets(customerId)),
    redis.hgetall(keys.presence(customerId)),
  ]);
  const gateways = [...new Set(members.map(gatewayOfMember))];
  const alive = gateways.length === 0 ? 0 : await redis.exists(...gateways.map(keys.gatewayAlive));
  const connectedAt = numberOrNull(fields["connectedAt"]);
  const disconnectedAt = numberOrNull(fields["disconnectedAt"]);
  const connected = alive > 0;
  // Without a recorded goodbye after the last connection (its gateway died), the customer has
  // been away at most since then.
  const awaySince = connected
    ? null
    : disconnectedAt !== null && (connectedAt === null || disconnectedAt >= connectedAt)
      ? disconnectedAt
      : connectedAt;
  return { connected, connectedAt, awaySince, email: fields["email"] || null };
};
