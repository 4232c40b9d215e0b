import type { Actor, RoomEventBody } from "@support-chat/contracts";

export const ROOM = "6f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b";
export const MESSAGE = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";

export const customer: Actor = { id: "cust-1", name: "Carla Customer", role: "customer" };
export const otherCustomer: Actor = { id: "cust-2", name: "Oscar Other", role: "customer" };
export const agent: Actor = { id: "agent-1", name: "Ada Agent", role: "agent" };
export const otherAgent: Actor = { id: "agent-2", name: "Ben Agent", role: "agent" };
export const manager: Actor = { id: "mgr-1", name: "Mia Manager", role: "manager" };
export const admin: Actor = { id: "adm-1", name: "Al Admin", role: "admin" };
export const router: Actor = { id: "assignment-service", name: "Router", role: "system" };

export const opened = (): RoomEventBody => ({
  type: "RoomOpened",
  data: { roomId: ROOM, customerId: customer.id, customerName: customer.name },
});

export const posted = (
  seq: number,
  by: Actor = customer,
  clientMessageId = `c-${seq}`,
): RoomEventBody => ({
  type: "MessagePosted",
  data: {
    roomId: ROOM,
    messageId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    seq,
    clientMessageId,
    senderId: by.id,
    senderName: by.name,
    senderRole: by.role === "system" ? "admin" : by.role,
    isFromSupport: by.role !== "customer",
    message: `message ${seq}`,
  },
});

export const assigned = (
  to: Actor = agent,
  reason: "claimed" | "routed" | "transferred" = "claimed",
  previousAgentId: string | null = null,
): RoomEventBody => ({
  type: "AgentAssigned",
  data: { roomId: ROOM, agentId: to.id, agentName: to.name, reason, previousAgentId },
});

export const read = (side: "customer" | "support", upToSeq: number, by: Actor): RoomEventBody => ({
  type: "MessagesRead",
  data: { roomId: ROOM, readerId: by.id, side, upToSeq },
});

export const requeued = (previousAgentId = agent.id): RoomEventBody => ({
  type: "RoomRequeued",
  data: { roomId: ROOM, previousAgentId, reason: "agent_offline" },
});

export const closed = (by: Actor = customer): RoomEventBody => ({
  type: "RoomClosed",
  data: { roomId: ROOM, closedBy: by.id, closedByRole: by.role },
});
