import { createPinia } from "pinia";
import { createApp, watch } from "vue";
import App from "./App.vue";
import { appCatalogs } from "./i18n/app/index.js";
import { vueI18nTranslator } from "./i18n/instance.js";
import { currentLocale, startLanguage } from "./i18n/language.js";
import { t } from "./i18n/text.js";
import { addCatalogs, installTranslator } from "./i18n/translator.js";
import { widgetCatalogs } from "./i18n/widget/index.js";
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
import "./styles/screen-reader.css";

// The console and its pages use vue-i18n; the embeddable widget has a lighter translator.
installTranslator(vueI18nTranslator);
addCatalogs(widgetCatalogs);
addCatalogs(appCatalogs);
void startLanguage();

const pinia = createPinia();
const router = createAppRouter();
const app = createApp(App).use(pinia).use(router);

// The page follows the shown language: <html lang> (for screen readers, hyphenation) and title.
watch(
  currentLocale,
  (locale) => {
    document.documentElement.lang = locale;
    const title = router.currentRoute.value.meta.title;
    if (title) document.title = t(title);
  },
  { immediate: true },
);

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
