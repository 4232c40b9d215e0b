import { DomainError, type RoutingPolicy } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { capacityOf } from "../domain/agents.js";
import { onRoomObserved, proposals, roomsToRequeue } from "../domain/state.js";
import type { ChatClient } from "./chat-client.js";
import type { LiveState } from "./live-state.js";
import type { AssignmentMetrics } from "./metrics.js";
import { readAgentRooms, readRoom } from "./room-reader.js";
import type { AgentStore } from "./store/agent-store.js";

/** Refusals that mean our view of the room was behind the chat service's. */
const ROOM_MOVED = new Set(["ALREADY_ASSIGNED", "ROOM_CLOSED", "NOT_FOUND", "NOT_ASSIGNED"]);

/** A pass never loops forever, whatever happens to the state meanwhile. */
const MAX_STEPS_PER_PASS = 1000;

export type Router = Readonly<{
  /** Asks for a pass soon; passes never overlap and requests during one cause one more. */
  schedule: () => void;
  /** Resolves when no pass is running. */
  idle: () => Promise<void>;
}>;

/**
 * The leader's work: requeue the rooms of agents gone beyond the grace period, then offer
 * waiting rooms to agents one at a time in queue order. The chat service has the last word on
 * every assignment; when it refuses, we read back the room or the agent's rooms and decide
 * again with the truth.
 */
export const createRouter = (deps: {
  live: LiveState;
  chat: ChatClient;
  store: AgentStore;
  metrics: AssignmentMetrics;
  policy: RoutingPolicy;
  mayRoute: () => boolean;
  log: Logger;
}): Router => {
  const { live, chat, metrics, log } = deps;
  let running: Promise<void> | undefined;
  let again = false;

  const requeueAbsentAgentsRooms = async () => {
    for (const room of roomsToRequeue(live.get(), live.now(), live.rules)) {
      if (!deps.mayRoute()) return;
      // Checked against the chat service first: requeueing takes whoever holds the room now.
      const current = await chat.getRoom(room.roomId);
      live.update((s, now) => onRoomObserved(s, current, null, now, live.rules));
      if (room.agentId === null) continue;
      if (current.status !== "open" || current.supportAgentId !== room.agentId) continue;
      // The room may still change hands between that read and this command; the chat service
      // refuses the requeue then (CONFLICT), and the next sweep sees the new holder.
      const requeued = await chat
        .requeueRoom(room.roomId, "agent_offline", room.agentId)
        .catch((e: unknown) => {
          if (e instanceof DomainError && e.code === "CONFLICT") return undefined;
          throw e;
        });
      if (!requeued) continue;
      live.update((s, now) => onRoomObserved(s, requeued, now, now, live.rules));
      log.info(
        { roomId: room.roomId, agentId: room.agentId },
        "requeued the room of an absent agent",
      );
    }
  };

  /** One assignment; false when the chat service refused and we re-read what it refused. */
  const assignNext = async (roomId: string, agentId: string): Promise<boolean> => {
    const state = live.get();
    const agent = state.agents.get(agentId)!;
    const waitingSince = state.rooms.rooms.get(roomId)?.waitingSince;
    try {
      const room = await chat.assignRoom({
        roomId,
        agentId,
        agentName: agent.agentName,
        maxChats: capacityOf(agent, live.rules.defaultMaxChats),
      });
      live.update((s, now) => onRoomObserved(s, room, null, now, live.rules));
      metrics.assignments.inc({ policy: deps.policy, outcome: "assigned" });
      if (waitingSince !== undefined) {
        metrics.waitSeconds.observe(Math.max(0, live.now() - waitingSince) / 1000);
      }
      return true;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (e.code === "AGENT_AT_CAPACITY") {
        metrics.assignments.inc({ policy: deps.policy, outcome: "agent_at_capacity" });
        await readAgentRooms(agentId, deps);
        return false;
      }
      if (ROOM_MOVED.has(e.code)) {
        metrics.assignments.inc({ policy: deps.policy, outcome: "room_taken" });
        await readRoom(roomId, deps);
        return false;
      }
      throw e;
    }
  };

  /** False when it gave up early: the same refusal came twice, so our view cannot catch up yet. */
  const routeWaitingRooms = async (): Promise<boolean> => {
    const refused = new Set<string>();
    for (let step = 0; step < MAX_STEPS_PER_PASS && deps.mayRoute(); step++) {
      // Decided afresh before every assignment: presence and the queue move meanwhile.
      const [next] = proposals(live.get(), live.now(), live.rules);
      if (next === undefined) return true;
      const key = `${next.roomId}|${next.agentId}`;
      if (await assignNext(next.roomId, next.agentId)) continue;
      if (refused.has(key)) return false;
      refused.add(key);
    }
    return true;
  };

  const pass = async () => {
    do {
      again = false;
      if (!deps.mayRoute()) return;
      try {
        await requeueAbsentAgentsRooms();
        // Giving up ends the pass even if state changed meanwhile; the sweep comes back later.
        if (!(await routeWaitingRooms())) return;
      } catch (err) {
        metrics.assignments.inc({ policy: deps.policy, outcome: "failed" });
        log.warn({ err }, "routing pass stopped; the next sweep retries");
        return;
      }
    } while (again);
  };

  return {
    schedule: () => {
      if (running) {
        again = true;
        return;
      }
      running = pass().finally(() => {
        running = undefined;
      });
    },
    idle: async () => {
      while (running) await running;
    },
  };
};
