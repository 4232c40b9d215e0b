import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { normalizeLabel, type ChatRoom } from "@support-chat/contracts";
import { agentToolsApi } from "../services/agent-tools-api.js";
import { errorMessage } from "../services/errors.js";
import { useConsoleRoomsStore } from "./console-rooms.js";

/** Labels on rooms, and the sidebar's filter by label. */
export const useConsoleLabelsStore = defineStore("consoleLabels", () => {
  const rooms = useConsoleRoomsStore();
  const filter = ref<string | null>(null);
  const errors = ref<Record<string, string | null>>({});

  /** Every label on a room the console knows, for the filter's choices. */
  const known = computed(() =>
    [...new Set(Object.values(rooms.rooms).flatMap((r) => r.labels ?? []))].sort(),
  );

  const apply = (list: readonly ChatRoom[]): ChatRoom[] =>
    filter.value === null ? [...list] : list.filter((r) => r.labels?.includes(filter.value!));

  const setFilter = (label: string | null) => {
    filter.value = label;
  };

  const setError = (roomId: string, message: string | null) => {
    errors.value = { ...errors.value, [roomId]: message };
  };

  const change = async (roomId: string, run: () => Promise<ChatRoom>) => {
    try {
      rooms.upsert(await run());
      setError(roomId, null);
      return true;
    } catch (e) {
      setError(roomId, errorMessage(e));
      return false;
    }
  };

  const add = async (roomId: string, raw: string): Promise<boolean> => {
    let label: string;
    try {
      label = normalizeLabel(raw);
    } catch (e) {
      setError(roomId, errorMessage(e));
      return false;
    }
    return change(roomId, () => agentToolsApi.addLabel(roomId, label));
  };

  const remove = (roomId: string, label: string) =>
    change(roomId, () => agentToolsApi.removeLabel(roomId, label));

  return { filter, errors, known, apply, setFilter, add, remove };
});
