import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { AgentStatus, AgentView, ServerEventPayload } from "@support-chat/contracts";
import { api } from "../services/api.js";
import { errorMessage } from "../services/errors.js";
import { socketService } from "../services/socket.js";
import { useSessionStore } from "./session.js";

/** The support team as the console sees it: your own status and load, and everyone else's. */
export const useAgentsStore = defineStore("agents", () => {
  const session = useSessionStore();
  const agents = ref<AgentView[]>([]);
  const error = ref<string | null>(null);
  const savingStatus = ref(false);

  const me = computed(() => agents.value.find((a) => a.agentId === session.user?.id) ?? null);
  const myStatus = computed<AgentStatus>(() => me.value?.status ?? "offline");
  const others = computed(() => agents.value.filter((a) => a.agentId !== session.user?.id));
  /** Who a chat can be handed to: online, available and not full. */
  const transferTargets = computed(() =>
    others.value.filter((a) => a.online && a.status === "available" && a.load < a.maxChats),
  );

  const upsert = (agent: AgentView) => {
    const index = agents.value.findIndex((a) => a.agentId === agent.agentId);
    agents.value =
      index < 0 ? [...agents.value, agent] : agents.value.map((a, i) => (i === index ? agent : a));
  };

  /** The team list is a nicety (transfer targets, loads); the console works without it. */
  const loadError = ref<string | null>(null);
  const load = async () => {
    try {
      const list = await api.agents();
      // Keep our own view (from a status ack) if the list does not know us yet.
      const mine = me.value;
      agents.value = mine && !list.some((a) => a.agentId === mine.agentId) ? [...list, mine] : list;
      loadError.value = null;
    } catch (e) {
      loadError.value = errorMessage(e);
    }
  };

  const setStatus = async (status: AgentStatus) => {
    savingStatus.value = true;
    try {
      upsert(await socketService.request("setStatus", { status }));
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      savingStatus.value = false;
    }
  };

  const setCapacity = async (agentId: string, maxChats: number | null) => {
    try {
      upsert(await api.setCapacity(agentId, maxChats));
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    }
  };

  const onAgentUpdated = (push: ServerEventPayload<"agentUpdated">) => upsert(push.agent);

  return {
    agents,
    error,
    loadError,
    savingStatus,
    me,
    myStatus,
    others,
    transferTargets,
    load,
    setStatus,
    setCapacity,
    onAgentUpdated,
  };
});
