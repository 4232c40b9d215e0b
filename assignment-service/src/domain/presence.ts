import type { AgentSocketChanged, GatewayHeartbeat } from "@support-chat/contracts";

/**
 * Which agents have sockets on which gateway. A gateway's word is only trusted while it keeps
 * talking: once nothing (heartbeat or socket change) has come from it for the presence TTL,
 * its agents count as gone, so a gateway that died cannot keep agents online forever.
 */
export type GatewayPresence = Readonly<{
  lastSeenAt: number;
  /** agentId → socket ids on this gateway (ids a heartbeat vouched for are synthetic). */
  sockets: ReadonlyMap<string, ReadonlySet<string>>;
}>;

export type Presence = ReadonlyMap<string, GatewayPresence>;

export const emptyPresence = (): Presence => new Map();

/** Sockets the gateway counted in a heartbeat but whose connect message we never saw. */
const VOUCHED = "~heartbeat:";
const isVouched = (socketId: string): boolean => socketId.startsWith(VOUCHED);

const withGateway = (presence: Presence, gatewayId: string, gateway: GatewayPresence): Presence => {
  const next = new Map(presence);
  next.set(gatewayId, gateway);
  return next;
};

export const socketChanged = (
  presence: Presence,
  change: AgentSocketChanged,
  now: number,
): Presence => {
  const gateway = presence.get(change.gatewayId);
  const sockets = new Map(gateway?.sockets ?? []);
  const mine = new Set(sockets.get(change.agentId) ?? []);
  if (change.connected) {
    mine.add(change.socketId);
  } else if (!mine.delete(change.socketId)) {
    // A disconnect of a socket we only know from a heartbeat's count.
    const vouched = [...mine].find(isVouched);
    if (vouched !== undefined) mine.delete(vouched);
  }
  if (mine.size > 0) sockets.set(change.agentId, mine);
  else sockets.delete(change.agentId);
  return withGateway(presence, change.gatewayId, { lastSeenAt: now, sockets });
};

/**
 * A heartbeat is the gateway's full list at the moment it was sent, and a gateway's messages
 * arrive in the order it sent them, so it replaces what we knew about that gateway: it repairs
 * connects and disconnects we missed.
 */
export const heartbeat = (presence: Presence, beat: GatewayHeartbeat, now: number): Presence => {
  const before = presence.get(beat.gatewayId)?.sockets;
  const sockets = new Map<string, ReadonlySet<string>>();
  for (const { agentId, sockets: count } of beat.agents) {
    const known = [...(before?.get(agentId) ?? [])];
    const real = known.filter((id) => !isVouched(id)).slice(0, count);
    const vouched = Array.from({ length: count - real.length }, (_, i) => `${VOUCHED}${i}`);
    sockets.set(agentId, new Set([...real, ...vouched]));
  }
  return withGateway(presence, beat.gatewayId, { lastSeenAt: now, sockets });
};

const isAlive = (gateway: GatewayPresence, now: number, ttlMs: number): boolean =>
  now - gateway.lastSeenAt < ttlMs;

/** Forgets gateways silent for the TTL; their agents have no sockets anymore. */
export const expireGateways = (presence: Presence, now: number, ttlMs: number): Presence => {
  const alive = [...presence].filter(([, gateway]) => isAlive(gateway, now, ttlMs));
  return alive.length === presence.size ? presence : new Map(alive);
};

/** Open sockets of an agent over every live gateway; several tabs are still one agent. */
export const socketCount = (
  presence: Presence,
  agentId: string,
  now: number,
  ttlMs: number,
): number => {
  let count = 0;
  for (const gateway of presence.values()) {
    if (isAlive(gateway, now, ttlMs)) count += gateway.sockets.get(agentId)?.size ?? 0;
  }
  return count;
};

export const onlineAgentIds = (presence: Presence, now: number, ttlMs: number): Set<string> => {
  const online = new Set<string>();
  for (const gateway of presence.values()) {
    if (!isAlive(gateway, now, ttlMs)) continue;
    for (const [agentId, sockets] of gateway.sockets) if (sockets.size > 0) online.add(agentId);
  }
  return online;
};
