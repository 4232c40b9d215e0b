import { randomUUID } from "node:crypto";
import type {
  AgentSocketChanged,
  AssignmentReason,
  GatewayHeartbeat,
  RecordedRoomEvent,
  RequeueReason,
  RoomEventBody,
} from "@support-chat/contracts";
import type { AssignmentRules } from "../src/domain/state.js";

/** Readable, valid room ids: room(1), room(2)... */
export const room = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

export const T0 = Date.parse("2030-01-01T09:00:00.000Z");
export const at = (ms: number): number => T0 + ms;

export const rules = (overrides: Partial<AssignmentRules> = {}): AssignmentRules => ({
  policy: "least-loaded",
  defaultMaxChats: 3,
  presenceTtlMs: 15_000,
  offlineGraceMs: 60_000,
  ...overrides,
});

const recorded = (body: RoomEventBody, version: number, atMs: number): RecordedRoomEvent =>
  ({
    ...body,
    metadata: {
      eventId: randomUUID(),
      streamId: `room-${body.data.roomId}`,
      streamPosition: version,
      globalPosition: 1,
      actor: { id: "someone", name: "Someone", role: "system" },
      correlationId: "test",
      causationId: null,
      occurredAt: new Date(atMs).toISOString(),
    },
  }) as RecordedRoomEvent;

export const opened = (roomId: string, atMs: number, customerId = `customer-${roomId.slice(-2)}`) =>
  recorded({ type: "RoomOpened", data: { roomId, customerId, customerName: "Customer" } }, 1, atMs);

export const assigned = (
  roomId: string,
  agentId: string,
  version: number,
  atMs: number,
  reason: AssignmentReason = "routed",
) =>
  recorded(
    {
      type: "AgentAssigned",
      data: { roomId, agentId, agentName: `Agent ${agentId}`, reason, previousAgentId: null },
    },
    version,
    atMs,
  );

export const requeued = (
  roomId: string,
  previousAgentId: string,
  version: number,
  atMs: number,
  reason: RequeueReason = "agent_offline",
) => recorded({ type: "RoomRequeued", data: { roomId, previousAgentId, reason } }, version, atMs);

export const closed = (roomId: string, version: number, atMs: number) =>
  recorded(
    { type: "RoomClosed", data: { roomId, closedBy: "someone", closedByRole: "customer" } },
    version,
    atMs,
  );

export const socket = (
  agentId: string,
  socketId: string,
  connected: boolean,
  atMs: number,
  gatewayId = "gw-1",
): AgentSocketChanged => ({
  gatewayId,
  agentId,
  agentName: `Agent ${agentId}`,
  role: "agent",
  socketId,
  connected,
  at: new Date(atMs).toISOString(),
});

export const beat = (
  gatewayId: string,
  agents: Record<string, number>,
  atMs: number,
): GatewayHeartbeat => ({
  gatewayId,
  at: new Date(atMs).toISOString(),
  agents: Object.entries(agents).map(([agentId, sockets]) => ({
    agentId,
    agentName: `Agent ${agentId}`,
    role: "agent" as const,
    sockets,
  })),
});
