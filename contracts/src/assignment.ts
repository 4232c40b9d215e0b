import { z } from "zod";
import { ChatRoom } from "./models.js";
import { DisplayName, IsoDateTime, Role, UserId, Uuid } from "./primitives.js";

/** What an agent chose: `busy` keeps current chats but gets no new ones. */
export const AgentStatus = z.enum(["available", "busy", "offline"]);
export type AgentStatus = z.infer<typeof AgentStatus>;

/** How waiting rooms are matched to agents (ROUTING_POLICY). */
export const RoutingPolicy = z.enum(["least-loaded", "round-robin", "manual"]);
export type RoutingPolicy = z.infer<typeof RoutingPolicy>;

const SupportRole = Role.exclude(["customer"]);

/** Published by a gateway when an agent's socket connects or disconnects. */
export const AgentSocketChanged = z.object({
  gatewayId: z.string().min(1).max(128),
  agentId: UserId,
  agentName: DisplayName,
  role: SupportRole,
  socketId: z.string().min(1).max(128),
  connected: z.boolean(),
  at: IsoDateTime,
});
export type AgentSocketChanged = z.infer<typeof AgentSocketChanged>;

/**
 * Published by every gateway at a fixed interval with the agents it holds sockets for; the
 * agents of a gateway that stops sending it are considered gone after the presence TTL.
 */
export const GatewayHeartbeat = z.object({
  gatewayId: z.string().min(1).max(128),
  at: IsoDateTime,
  agents: z.array(
    z.object({
      agentId: UserId,
      agentName: DisplayName,
      role: SupportRole,
      sockets: z.number().int().min(1),
    }),
  ),
});
export type GatewayHeartbeat = z.infer<typeof GatewayHeartbeat>;

export const AgentView = z.object({
  agentId: UserId,
  agentName: DisplayName,
  role: SupportRole,
  status: AgentStatus,
  online: z.boolean(),
  /** Open rooms assigned to the agent, counted from the event log's projection. */
  load: z.number().int().nonnegative(),
  maxChats: z.number().int().nonnegative(),
  lastAssignedAt: IsoDateTime.nullable(),
});
export type AgentView = z.infer<typeof AgentView>;

export const QueueEntry = z.object({
  roomId: Uuid,
  customerId: UserId,
  /** 1 = next to be served. */
  position: z.number().int().min(1),
  estimatedWaitSeconds: z.number().int().nonnegative().nullable(),
});
/** Published by the assignment service whenever the queue changes (and periodically). */
export const QueueSnapshot = z.object({
  at: IsoDateTime,
  agentsOnline: z.number().int().nonnegative(),
  agentsAvailable: z.number().int().nonnegative(),
  rooms: z.array(QueueEntry),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;

/** Published by the assignment service when an agent's status, presence, load or capacity changes. */
export const AgentUpdated = z.object({ agent: AgentView });

export const MAX_CHATS_LIMIT = 50;

export const assignmentCommands = {
  /** The calling agent sets their own status. */
  setStatus: { request: z.object({ status: AgentStatus }), reply: AgentView },
  /** Managers/admins set an agent's capacity; null returns to the default. */
  setCapacity: {
    request: z.object({
      agentId: UserId,
      maxChats: z.number().int().min(0).max(MAX_CHATS_LIMIT).nullable(),
    }),
    reply: AgentView,
  },
  /** An agent takes a room (opening it in the console), within their capacity. */
  claimRoom: { request: z.object({ roomId: Uuid }), reply: ChatRoom },
  /** Hands a room to another agent, within the target's capacity. */
  transferRoom: { request: z.object({ roomId: Uuid, agentId: UserId }), reply: ChatRoom },
} as const;

export const assignmentQueries = {
  listAgents: { request: z.object({}), reply: z.object({ agents: z.array(AgentView) }) },
  queuePosition: {
    request: z.object({ roomId: Uuid }),
    reply: z.object({
      roomId: Uuid,
      position: z.number().int().min(1).nullable(),
      estimatedWaitSeconds: z.number().int().nonnegative().nullable(),
      agentsOnline: z.number().int().nonnegative(),
    }),
  },
} as const;

export type AssignmentCommandName = keyof typeof assignmentCommands;
export type AssignmentQueryName = keyof typeof assignmentQueries;
