import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { t } from "../i18n/text.js";
import { chatSocketUrl } from "../services/gateway.js";
import { socketService, type ConnectionPhase, type PhaseChange } from "../services/socket.js";
import { useSessionStore } from "./session.js";

/** The state of the live connection, as people should see it. */
export const useConnectionStore = defineStore("connection", () => {
  const phase = ref<ConnectionPhase>(socketService.phase);
  const refusedBecause = ref<string | null>(null);
  /** How many times the connection came back; tests and the UI use it to see a resync. */
  const resumedCount = ref(0);

  const connected = computed(() => phase.value === "connected");
  const label = computed(() => {
    switch (phase.value) {
      case "connected":
        return t("connection.connected");
      case "connecting":
        return t("connection.connecting");
      case "reconnecting":
        return t("connection.reconnecting");
      case "refused":
        return t("connection.refused");
      case "idle":
        return t("connection.idle");
    }
    return "";
  });

  /** Opens the socket for the signed-in person (once; later calls do nothing). */
  const start = () => {
    const session = useSessionStore();
    if (!session.token) return;
    socketService.connect({ url: chatSocketUrl(), token: session.token });
  };

  const applyPhase = (change: PhaseChange) => {
    phase.value = change.phase;
    refusedBecause.value = change.reason;
    if (change.phase === "connected" && change.resumed) resumedCount.value++;
  };

  return { phase, refusedBecause, resumedCount, connected, label, start, applyPhase };
});
