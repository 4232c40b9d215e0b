import { createPinia } from "pinia";
import { createApp } from "vue";
import App from "./App.vue";
import { createAppRouter } from "./router.js";
import { installDispatcher } from "./services/dispatcher.js";
import { socketService } from "./services/socket.js";
import { useAgentsStore } from "./stores/agents.js";
import { useAlertsStore } from "./stores/alerts.js";
import { useCannedResponsesStore } from "./stores/canned-responses.js";
import { useConnectionStore } from "./stores/connection.js";
import { useConsoleConversationsStore } from "./stores/console-conversations.js";
import { useConsoleNotesStore } from "./stores/console-notes.js";
import { useConsoleRoomsStore } from "./stores/console-rooms.js";
import { useWidgetStore } from "./stores/widget.js";
import "./styles/base.css";

const pinia = createPinia();
const app = createApp(App).use(pinia).use(createAppRouter());

installDispatcher(socketService, {
  connection: useConnectionStore(pinia),
  widget: useWidgetStore(pinia),
  rooms: useConsoleRoomsStore(pinia),
  conversations: useConsoleConversationsStore(pinia),
  agents: useAgentsStore(pinia),
  alerts: useAlertsStore(pinia),
  notes: useConsoleNotesStore(pinia),
  cannedResponses: useCannedResponsesStore(pinia),
});

app.mount("#app");
