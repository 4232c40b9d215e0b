import {
  DomainError,
  isManagerRole,
  isSupportRole,
  type Actor,
  type AgentView,
  type assignmentCommands,
  type assignmentQueries,
  type ChatRoom,
  type Role,
} from "@support-chat/contracts";
import type { Handlers } from "@support-chat/service-kit";
import { capacityOf, isPresent, type AgentSettings } from "../domain/agents.js";
import { onlineAgentIds } from "../domain/presence.js";
import { loadsOf } from "../domain/rooms.js";
import {
  agentView,
  agentViews,
  onAgentSeen,
  onRoomObserved,
  onSettings,
  queuePosition,
} from "../domain/state.js";
import type { ChatClient } from "./chat-client.js";
import type { LiveState } from "./live-state.js";
import type { AssignmentMetrics } from "./metrics.js";
import type { SettingsSync } from "./settings-sync.js";
import type { AgentStore } from "./store/agent-store.js";

type SupportRole = Exclude<Role, "customer">;

const forbidden = (what: string) => new DomainError("FORBIDDEN", `you may not ${what}`);

const supportStaff = (actor: Actor, what: string): SupportRole => {
  if (actor.role === "system" || !isSupportRole(actor.role)) throw forbidden(what);
  return actor.role as SupportRole;
};

type Deps = {
  live: LiveState;
  chat: ChatClient;
  store: AgentStore;
  settings: SettingsSync;
  metrics: AssignmentMetrics;
  /** Queries answer from our state, which means nothing until the rooms have been read. */
  isReady: () => boolean;
  /** Something an agent did may let a waiting room through. */
  reroute: () => void;
};

export const operationHandlers = (deps: Deps) => {
  const { live, chat, store, settings, metrics } = deps;

  const ready = () => {
    if (!deps.isReady()) {
      throw new DomainError("UNAVAILABLE", "the assignment service is starting; try again shortly");
    }
  };

  const viewOf = (agentId: string): AgentView => {
    const view = agentView(live.get(), agentId, live.now(), live.rules);
    if (!view) throw new DomainError("NOT_FOUND", `agent ${agentId} is unknown`);
    return view;
  };

  /** Stores the new settings, applies them here and tells the other replicas. */
  const saved = (agentId: string, stored: AgentSettings): AgentView => {
    live.update((s, now) => onSettings(s, agentId, stored, now, live.rules));
    settings.announce(agentId);
    deps.reroute();
    return viewOf(agentId);
  };

  /** Keeps our view of a room the chat service just changed for someone. */
  const observed = (room: ChatRoom): ChatRoom => {
    live.update((s, now) => onRoomObserved(s, room, null, now, live.rules));
    return room;
  };

  const commands: Handlers<typeof assignmentCommands> = {
    setStatus: async ({ actor, payload }) => {
      const role = supportStaff(actor, "set an agent status");
      live.update((s) => onAgentSeen(s, { agentId: actor.id, agentName: actor.name, role }));
      const stored = await store.saveStatus(actor.id, payload.status);
      return saved(actor.id, stored);
    },

    setCapacity: async ({ actor, payload }) => {
      if (actor.role === "system" || !isManagerRole(actor.role)) {
        throw forbidden("change an agent's capacity; managers and admins do");
      }
      const stored = await store.saveCapacity(payload.agentId, payload.maxChats);
      return saved(payload.agentId, stored);
    },

    claimRoom: async (request) => {
      supportStaff(request.actor, "take rooms from the queue");
      const state = live.get();
      const me = state.agents.get(request.actor.id);
      const maxChats = me ? capacityOf(me, live.rules.defaultMaxChats) : live.rules.defaultMaxChats;
      const load = loadsOf(state.rooms).get(request.actor.id) ?? 0;
      const waitingSince = state.rooms.rooms.get(request.payload.roomId);
      // The chat service checks again atomically; this answers early from what we know.
      if (load >= maxChats && waitingSince?.agentId !== request.actor.id) {
        throw new DomainError(
          "AGENT_AT_CAPACITY",
          `you already have ${load} open chats; your maximum is ${maxChats}`,
        );
      }
      const room = await chat.command("claimRoom", {
        ...request,
        payload: { roomId: request.payload.roomId, maxChats },
      });
      metrics.assignments.inc({ policy: "claim", outcome: "assigned" });
      if (waitingSince?.status === "waiting") {
        metrics.waitSeconds.observe(Math.max(0, live.now() - waitingSince.waitingSince) / 1000);
      }
      return observed(room);
    },

    transferRoom: async (request) => {
      supportStaff(request.actor, "transfer rooms");
      const { roomId, agentId } = request.payload;
      const target = live.get().agents.get(agentId);
      if (!target) throw new DomainError("NOT_FOUND", `agent ${agentId} is unknown`);
      const online = onlineAgentIds(live.get().presence, live.now(), live.rules.presenceTtlMs);
      if (!isPresent(target, online.has(agentId))) {
        throw new DomainError(
          "AGENT_NOT_AVAILABLE",
          `${target.agentName} is offline; rooms can only go to someone who is there`,
        );
      }
      const room = await chat.command("transferRoom", {
        ...request,
        payload: {
          roomId,
          agentId,
          agentName: target.agentName,
          maxChats: capacityOf(target, live.rules.defaultMaxChats),
        },
      });
      metrics.assignments.inc({ policy: "transfer", outcome: "assigned" });
      return observed(room);
    },
  };

  const queries: Handlers<typeof assignmentQueries> = {
    listAgents: async ({ actor }) => {
      supportStaff(actor, "see the agents");
      ready();
      return { agents: agentViews(live.get(), live.now(), live.rules) };
    },

    queuePosition: async (request) => {
      const { actor, payload } = request;
      ready();
      const room = live.get().rooms.rooms.get(payload.roomId);
      if (actor.role === "customer") {
        // Customers may ask about their own room only; the chat service knows whose a room is.
        const owner = room?.customerId ?? (await chat.query("getRoom", request)).userId;
        if (owner !== actor.id) throw forbidden(`see room ${payload.roomId}`);
      }
      return queuePosition(live.get(), payload.roomId, live.now(), live.rules);
    },
  };

  return { commands, queries };
};
