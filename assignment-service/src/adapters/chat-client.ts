import type { NatsConnection } from "@nats-io/transport-node";
import {
  chatCommands,
  chatQueries,
  LIMITS,
  type Actor,
  type ChatRoom,
  type RequeueReason,
  type Subjects,
} from "@support-chat/contracts";
import { requesterFor, type Requester } from "@support-chat/service-kit";
import { randomUUID } from "node:crypto";

/** How this service appears in the event log when it routes or requeues a room. */
export const ROUTER_ACTOR: Actor = {
  id: "assignment-service",
  name: "Assignment service",
  role: "system",
};

export type ChatCommands = Requester<typeof chatCommands>;
export type ChatQueries = Requester<typeof chatQueries>;

/**
 * The chat service is the authority on rooms: it refuses an assignment the room or the agent's
 * capacity no longer allows. Everything we ask it for on our own behalf goes as ROUTER_ACTOR.
 */
export const createChatClient = (nc: NatsConnection, subjects: Subjects, timeoutMs: number) => {
  const command: ChatCommands = requesterFor({
    nc,
    operations: chatCommands,
    subjectOf: subjects.command,
    timeoutMs,
  });
  const query: ChatQueries = requesterFor({
    nc,
    operations: chatQueries,
    subjectOf: subjects.query,
    timeoutMs,
  });
  const asRouter = <P>(payload: P, causationId?: string) => ({
    actor: ROUTER_ACTOR,
    correlationId: `assignment-${randomUUID()}`,
    ...(causationId === undefined ? {} : { causationId }),
    payload,
  });

  return {
    command,
    query,
    assignRoom: (payload: {
      roomId: string;
      agentId: string;
      agentName: string;
      maxChats: number;
    }) => command("assignRoom", asRouter(payload)),
    /** Refused with CONFLICT when `expectedAgentId` no longer holds the room. */
    requeueRoom: (roomId: string, reason: RequeueReason, expectedAgentId: string) =>
      command("requeueRoom", asRouter({ roomId, reason, expectedAgentId })),
    getRoom: (roomId: string) => query("getRoom", asRouter({ roomId })),
    /** Open rooms of one agent, as the chat service counts them for capacity. */
    openRoomsOf: async (agentId: string): Promise<ChatRoom[]> =>
      (
        await query(
          "listSupportRooms",
          asRouter({ status: ["open" as const], assignedTo: agentId, limit: LIMITS.roomListMax }),
        )
      ).rooms,
    /** Every waiting and open room (as many as one page holds, per status). */
    activeRooms: async (): Promise<{ rooms: ChatRoom[]; truncated: boolean }> => {
      const [waiting, open] = await Promise.all(
        (["waiting", "open"] as const).map((status) =>
          query("listSupportRooms", asRouter({ status: [status], limit: LIMITS.roomListMax })),
        ),
      );
      const rooms = [...waiting!.rooms, ...open!.rooms];
      const truncated = [waiting!, open!].some((page) => page.rooms.length >= LIMITS.roomListMax);
      return { rooms, truncated };
    },
  };
};

export type ChatClient = ReturnType<typeof createChatClient>;
