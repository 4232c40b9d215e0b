import { isSupportRole, type GatewayHeartbeat } from "@support-chat/contracts";
import type { Principal } from "./principal.js";

export type RosterEntry = GatewayHeartbeat["agents"][number];
/** The agents this gateway holds sockets for, by agent id. */
export type AgentRoster = ReadonlyMap<string, RosterEntry>;

type SupportRole = RosterEntry["role"];
const supportRoleOf = (principal: Principal): SupportRole | undefined =>
  isSupportRole(principal.role) ? (principal.role as SupportRole) : undefined;

/** One more socket for an agent (customers are not tracked). */
export const withSocket = (roster: AgentRoster, principal: Principal): AgentRoster => {
  const role = supportRoleOf(principal);
  if (!role) return roster;
  const sockets = (roster.get(principal.id)?.sockets ?? 0) + 1;
  return new Map(roster).set(principal.id, {
    agentId: principal.id,
    agentName: principal.name,
    role,
    sockets,
  });
};

/** One socket fewer; an agent with none left is no longer on this gateway. */
export const withoutSocket = (roster: AgentRoster, agentId: string): AgentRoster => {
  const entry = roster.get(agentId);
  if (!entry) return roster;
  const next = new Map(roster);
  if (entry.sockets <= 1) next.delete(agentId);
  else next.set(agentId, { ...entry, sockets: entry.sockets - 1 });
  return next;
};
