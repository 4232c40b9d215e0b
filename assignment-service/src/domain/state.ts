import type {
  AgentSocketChanged,
  AgentView,
  ChatRoom,
  GatewayHeartbeat,
  QueueSnapshot,
  RecordedRoomEvent,
  RoutingPolicy,
} from "@support-chat/contracts";
import {
  awayBeyondGrace,
  capacityOf,
  emptyDirectory,
  introduce,
  meet,
  noteAssignment,
  statusOf,
  trackAway,
  withSettings,
  type Agent,
  type AgentDirectory,
  type AgentSettings,
} from "./agents.js";
import {
  estimatedWaitSeconds,
  meanAssignmentIntervalMs,
  recordAssignment,
  type AssignmentLog,
} from "./eta.js";
import {
  emptyPresence,
  expireGateways,
  heartbeat,
  onlineAgentIds,
  socketChanged,
  type Presence,
} from "./presence.js";
import {
  applyRoomEvent,
  emptyBook,
  forgetClosedBefore,
  loadsOf,
  observeRoom,
  observeRooms,
  openRoomsOf,
  queueOf,
  type EventOutcome,
  type RoomBook,
  type TrackedRoom,
} from "./rooms.js";
import { route, type Candidate, type Proposal } from "./routing.js";

/** The operator's settings the decisions depend on. */
export type AssignmentRules = Readonly<{
  policy: RoutingPolicy;
  defaultMaxChats: number;
  presenceTtlMs: number;
  offlineGraceMs: number;
}>;

/** Everything the assignment service knows, rebuilt from the room events and presence. */
export type AssignmentState = Readonly<{
  rooms: RoomBook;
  presence: Presence;
  agents: AgentDirectory;
  assignments: AssignmentLog;
}>;

export const initialState = (): AssignmentState => ({
  rooms: emptyBook(),
  presence: emptyPresence(),
  agents: emptyDirectory(),
  assignments: [],
});

/** Closed-room tombstones outlive any redelivery of their events by far. */
const TOMBSTONE_MS = 60 * 60_000;

const online = (state: AssignmentState, now: number, rules: AssignmentRules) =>
  onlineAgentIds(state.presence, now, rules.presenceTtlMs);

const withAwayTracked = (
  state: AssignmentState,
  now: number,
  rules: AssignmentRules,
): AssignmentState => {
  const agents = trackAway(state.agents, online(state, now, rules), now);
  return agents === state.agents ? state : { ...state, agents };
};

export const onRoomEvent = (
  state: AssignmentState,
  event: RecordedRoomEvent,
  now: number,
  rules: AssignmentRules,
): { state: AssignmentState; outcome: EventOutcome } => {
  const { book, outcome } = applyRoomEvent(state.rooms, event);
  let next: AssignmentState = { ...state, rooms: book };
  if (event.type === "AgentAssigned") {
    const at = Date.parse(event.metadata.occurredAt);
    const { agentId, agentName, reason } = event.data;
    next = { ...next, agents: noteAssignment(next.agents, agentId, agentName, at) };
    // Transfers move a room between agents; only rooms leaving the queue measure its pace.
    if (reason !== "transferred") {
      const assignments = recordAssignment(next.assignments, {
        eventId: event.metadata.eventId,
        at,
      });
      next = { ...next, assignments };
    }
  }
  return { state: withAwayTracked(next, now, rules), outcome };
};

/** A room as the chat service's projection shows it; see `observeRoom`. */
export const onRoomObserved = (
  state: AssignmentState,
  room: ChatRoom,
  requeuedAt: number | null,
  now: number,
  rules: AssignmentRules,
): AssignmentState => {
  const rooms = observeRoom(state.rooms, room, requeuedAt, now);
  const agents =
    room.status === "open" && room.supportAgentId !== null
      ? meet(state.agents, room.supportAgentId, room.supportAgentName)
      : state.agents;
  return withAwayTracked({ ...state, rooms, agents }, now, rules);
};

/** Many rooms from the projection at once (the queue rebuilt at start or on takeover). */
export const onRoomsObserved = (
  state: AssignmentState,
  rooms: readonly ChatRoom[],
  requeuedAt: ReadonlyMap<string, number>,
  now: number,
  rules: AssignmentRules,
): AssignmentState => {
  let agents = state.agents;
  for (const room of rooms) {
    if (room.status === "open" && room.supportAgentId !== null) {
      agents = meet(agents, room.supportAgentId, room.supportAgentName);
    }
  }
  const next = { ...state, rooms: observeRooms(state.rooms, rooms, requeuedAt, now), agents };
  return withAwayTracked(next, now, rules);
};

export const onSocketChanged = (
  state: AssignmentState,
  change: AgentSocketChanged,
  now: number,
  rules: AssignmentRules,
): AssignmentState =>
  withAwayTracked(
    {
      ...state,
      presence: socketChanged(state.presence, change, now),
      agents: introduce(state.agents, change),
    },
    now,
    rules,
  );

export const onHeartbeat = (
  state: AssignmentState,
  beat: GatewayHeartbeat,
  now: number,
  rules: AssignmentRules,
): AssignmentState =>
  withAwayTracked(
    {
      ...state,
      presence: heartbeat(state.presence, beat, now),
      agents: beat.agents.reduce(introduce, state.agents),
    },
    now,
    rules,
  );

/** An agent acting on their own behalf tells us who they are, like presence does. */
export const onAgentSeen = (
  state: AssignmentState,
  who: Parameters<typeof introduce>[1],
): AssignmentState => {
  const agents = introduce(state.agents, who);
  return agents === state.agents ? state : { ...state, agents };
};

export const onSettings = (
  state: AssignmentState,
  agentId: string,
  settings: AgentSettings,
  now: number,
  rules: AssignmentRules,
): AssignmentState =>
  withAwayTracked({ ...state, agents: withSettings(state.agents, agentId, settings) }, now, rules);

/** Latest assignment per agent as recorded before a restart, so fairness carries over. */
export const onLastAssignments = (
  state: AssignmentState,
  lastAssigned: ReadonlyMap<string, number>,
): AssignmentState => {
  let agents = state.agents;
  for (const [agentId, at] of lastAssigned) {
    agents = noteAssignment(agents, agentId, agents.get(agentId)?.agentName ?? agentId, at);
  }
  return agents === state.agents ? state : { ...state, agents };
};

/** Time passing: silent gateways expire, away clocks run, old tombstones go. */
export const onTick = (
  state: AssignmentState,
  now: number,
  rules: AssignmentRules,
): AssignmentState => {
  const presence = expireGateways(state.presence, now, rules.presenceTtlMs);
  const rooms = forgetClosedBefore(state.rooms, now - TOMBSTONE_MS);
  const changed = presence !== state.presence || rooms !== state.rooms;
  return withAwayTracked(changed ? { ...state, presence, rooms } : state, now, rules);
};

// ---- decisions ----

const candidatesOf = (state: AssignmentState, now: number, rules: AssignmentRules): Candidate[] => {
  const live = online(state, now, rules);
  const loads = loadsOf(state.rooms);
  return [...state.agents.values()]
    .filter((a) => live.has(a.agentId) && statusOf(a) === "available")
    .map((a) => ({
      agentId: a.agentId,
      load: loads.get(a.agentId) ?? 0,
      capacity: capacityOf(a, rules.defaultMaxChats),
      lastAssignedAt: a.lastAssignedAt,
    }))
    .filter((c) => c.capacity > 0);
};

/** Which waiting room should go to which agent now, in queue order. */
export const proposals = (
  state: AssignmentState,
  now: number,
  rules: AssignmentRules,
): Proposal[] => route(queueOf(state.rooms), candidatesOf(state, now, rules), rules.policy);

/** Open rooms of agents away for longer than the grace period, to go back to the queue. */
export const roomsToRequeue = (
  state: AssignmentState,
  now: number,
  rules: AssignmentRules,
): TrackedRoom[] =>
  awayBeyondGrace(state.agents, now, rules.offlineGraceMs).flatMap((a) =>
    openRoomsOf(state.rooms, a.agentId),
  );

// ---- views ----

const viewOf = (
  agent: Agent,
  live: ReadonlySet<string>,
  loads: ReadonlyMap<string, number>,
  rules: AssignmentRules,
): AgentView => ({
  agentId: agent.agentId,
  agentName: agent.agentName,
  role: agent.role,
  status: statusOf(agent),
  online: live.has(agent.agentId),
  load: loads.get(agent.agentId) ?? 0,
  maxChats: capacityOf(agent, rules.defaultMaxChats),
  lastAssignedAt:
    agent.lastAssignedAt === null ? null : new Date(agent.lastAssignedAt).toISOString(),
});

/** One agent as the consoles show them; null for an agent we know nothing about. */
export const agentView = (
  state: AssignmentState,
  agentId: string,
  now: number,
  rules: AssignmentRules,
): AgentView | null => {
  const agent = state.agents.get(agentId);
  if (agent === undefined) return null;
  return viewOf(agent, online(state, now, rules), loadsOf(state.rooms), rules);
};

/** Agents who connected since we started, and anyone holding rooms, as the consoles list them. */
export const agentViews = (
  state: AssignmentState,
  now: number,
  rules: AssignmentRules,
): AgentView[] => {
  const live = online(state, now, rules);
  const loads = loadsOf(state.rooms);
  return (
    [...state.agents.values()]
      .map((agent) => viewOf(agent, live, loads, rules))
      // Agents known only from old records stay off the list until they connect or hold rooms.
      .filter((view) => state.agents.get(view.agentId)?.introduced === true || view.load > 0)
      .sort((a, b) => a.agentName.localeCompare(b.agentName) || a.agentId.localeCompare(b.agentId))
  );
};

const headcount = (state: AssignmentState, now: number, rules: AssignmentRules) => {
  const live = online(state, now, rules);
  const available = [...state.agents.values()].filter(
    (a) => live.has(a.agentId) && statusOf(a) === "available",
  ).length;
  return { agentsOnline: live.size, agentsAvailable: available };
};

export const queueSnapshot = (
  state: AssignmentState,
  now: number,
  rules: AssignmentRules,
): QueueSnapshot => {
  const { agentsOnline, agentsAvailable } = headcount(state, now, rules);
  const interval = meanAssignmentIntervalMs(state.assignments, now);
  return {
    at: new Date(now).toISOString(),
    agentsOnline,
    agentsAvailable,
    rooms: queueOf(state.rooms).map((room, i) => ({
      roomId: room.roomId,
      customerId: room.customerId,
      position: i + 1,
      estimatedWaitSeconds: estimatedWaitSeconds(i + 1, interval, agentsOnline),
    })),
  };
};

export type QueuePosition = Readonly<{
  roomId: string;
  position: number | null;
  estimatedWaitSeconds: number | null;
  agentsOnline: number;
}>;

export const queuePosition = (
  state: AssignmentState,
  roomId: string,
  now: number,
  rules: AssignmentRules,
): QueuePosition => {
  const snapshot = queueSnapshot(state, now, rules);
  const entry = snapshot.rooms.find((r) => r.roomId === roomId);
  return {
    roomId,
    position: entry?.position ?? null,
    estimatedWaitSeconds: entry?.estimatedWaitSeconds ?? null,
    agentsOnline: snapshot.agentsOnline,
  };
};
