import type { AgentStatus, Role } from "@support-chat/contracts";

type SupportRole = Exclude<Role, "customer">;

/** What managers and the agent chose; persisted, so it outlives sessions and restarts. */
export type AgentSettings = Readonly<{ status: AgentStatus | null; maxChats: number | null }>;

export const NO_SETTINGS: AgentSettings = { status: null, maxChats: null };

export type Agent = Readonly<{
  agentId: string;
  agentName: string;
  role: SupportRole;
  settings: AgentSettings;
  /** Latest assignment to this agent, ms; fairness prefers whoever waited longest. */
  lastAssignedAt: number | null;
  /** Since when the agent has been away (no live socket, or status offline); null while present. */
  awaySince: number | null;
  /** A gateway has told us who they are (their name and role come from their token). */
  introduced: boolean;
}>;

export type AgentDirectory = ReadonlyMap<string, Agent>;

export const emptyDirectory = (): AgentDirectory => new Map();

/** Someone we have not heard of yet: a name from wherever we met them, settings by default. */
const newcomer = (agentId: string, agentName: string, role: SupportRole): Agent => ({
  agentId,
  agentName,
  role,
  settings: NO_SETTINGS,
  lastAssignedAt: null,
  awaySince: null,
  introduced: false,
});

const withAgent = (directory: AgentDirectory, agent: Agent): AgentDirectory => {
  const next = new Map(directory);
  next.set(agent.agentId, agent);
  return next;
};

const update = (
  directory: AgentDirectory,
  agentId: string,
  change: (agent: Agent) => Agent,
  fallbackName = agentId,
): AgentDirectory => {
  const agent = directory.get(agentId) ?? newcomer(agentId, fallbackName, "agent");
  return withAgent(directory, change(agent));
};

/** Presence tells us who an agent is (name and role from their token). */
export const introduce = (
  directory: AgentDirectory,
  who: { agentId: string; agentName: string; role: SupportRole },
): AgentDirectory => {
  const known = directory.get(who.agentId);
  if (known?.introduced && known.agentName === who.agentName && known.role === who.role) {
    return directory;
  }
  return withAgent(directory, {
    ...(known ?? newcomer(who.agentId, who.agentName, who.role)),
    agentName: who.agentName,
    role: who.role,
    introduced: true,
  });
};

/** An agent met through a room assigned to them, e.g. when the queue is rebuilt at start. */
export const meet = (
  directory: AgentDirectory,
  agentId: string,
  agentName: string | null,
): AgentDirectory =>
  directory.has(agentId) ? directory : update(directory, agentId, (a) => a, agentName ?? agentId);

/** An agent met through an assignment (they may not have connected to us yet). */
export const noteAssignment = (
  directory: AgentDirectory,
  agentId: string,
  agentName: string,
  at: number,
): AgentDirectory => {
  const known = directory.get(agentId);
  const last = known?.lastAssignedAt ?? null;
  if (known !== undefined && last !== null && last >= at) return directory;
  return update(directory, agentId, (a) => ({ ...a, lastAssignedAt: at }), agentName);
};

export const withSettings = (
  directory: AgentDirectory,
  agentId: string,
  settings: AgentSettings,
): AgentDirectory => {
  const known = directory.get(agentId);
  if (known === undefined)
    return withAgent(directory, { ...newcomer(agentId, agentId, "agent"), settings });
  if (known.settings.status === settings.status && known.settings.maxChats === settings.maxChats) {
    return directory;
  }
  return withAgent(directory, { ...known, settings });
};

/** An agent who connects is available unless they last chose otherwise. */
export const statusOf = (agent: Agent): AgentStatus => agent.settings.status ?? "available";

/** Capacity 0 means the agent is never routed to. */
export const capacityOf = (agent: Agent, defaultMaxChats: number): number =>
  agent.settings.maxChats ?? defaultMaxChats;

/** Present = at least one live socket and a status other than offline. */
export const isPresent = (agent: Agent, online: boolean): boolean =>
  online && statusOf(agent) !== "offline";

/**
 * Starts or stops each agent's away clock. Called whenever presence or status may have
 * changed and on every sweep, with the set of agents that have a live socket.
 */
export const trackAway = (
  directory: AgentDirectory,
  online: ReadonlySet<string>,
  now: number,
): AgentDirectory => {
  let next: Map<string, Agent> | null = null;
  for (const agent of directory.values()) {
    const present = isPresent(agent, online.has(agent.agentId));
    const awaySince = present ? null : (agent.awaySince ?? now);
    if (awaySince !== agent.awaySince) {
      next ??= new Map(directory);
      next.set(agent.agentId, { ...agent, awaySince });
    }
  }
  return next ?? directory;
};

/** Agents away for longer than the grace period: their open rooms go back to the queue. */
export const awayBeyondGrace = (directory: AgentDirectory, now: number, graceMs: number): Agent[] =>
  [...directory.values()].filter((a) => a.awaySince !== null && now - a.awaySince >= graceMs);
