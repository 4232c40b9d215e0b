import { createPinia } from "pinia";
import { createApp } from "vue";
import ChatWidget from "./components/widget/ChatWidget.vue";
import { startLanguage } from "./i18n/language.js";
import { createPlainTranslator } from "./i18n/plain-translator.js";
import { addCatalogs, installTranslator } from "./i18n/translator.js";
import { widgetCatalogs } from "./i18n/widget/index.js";
import { installDispatcher } from "./services/dispatcher.js";
import { configureGateway } from "./services/gateway.js";
import { socketService } from "./services/socket.js";
import { useConnectionStore } from "./stores/connection.js";
import { useSessionStore } from "./stores/session.js";
import "./styles/screen-reader.css";
import { useWidgetStore } from "./stores/widget.js";

/**
 * The embeddable widget: one script tag on any storefront, then
 * `SupportChat.init({ gatewayUrl, token })`, or the `<support-chat>` element.
 * The storefront signs the customer's token; the widget only passes it to the gateway.
 */
export interface InitOptions {
  /** The gateway's origin, e.g. "https://chat.example.com". */
  gatewayUrl: string;
  /** The customer's JWT, issued by the storefront. */
  token: string;
  /** Where to mount; by default a new element at the end of <body>. */
  container?: HTMLElement;
  /**
   * The storefront page's language ("de", "es-MX"…), used unless the customer picked one in the
   * widget; without it the browser's languages decide. English when none is supported.
   */
  locale?: string;
}

export interface SupportChatHandle {
  /** Hands over a fresh token (before the old one expires); reconnects with it. */
  setToken(token: string): void;
  open(): Promise<void>;
  close(): void;
  destroy(): void;
}

// Not vue-i18n: the widget's own translator over the same catalogs keeps the bundle within budget.
installTranslator(createPlainTranslator());

let current: SupportChatHandle | null = null;

export const init = (options: InitOptions): SupportChatHandle => {
  if (!options?.gatewayUrl || !options.token) {
    throw new Error("SupportChat.init needs { gatewayUrl, token }");
  }
  current?.destroy();
  configureGateway(options.gatewayUrl);
  addCatalogs(widgetCatalogs);
  void startLanguage(options.locale);

  const pinia = createPinia();
  const session = useSessionStore(pinia);
  if (!session.useToken(options.token)) {
    throw new Error("SupportChat.init: the token is not a valid, unexpired JWT");
  }
  const connection = useConnectionStore(pinia);
  const widget = useWidgetStore(pinia);
  const uninstall = installDispatcher(socketService, { connection, widget });

  const host = options.container ?? document.body.appendChild(document.createElement("div"));
  const app = createApp(ChatWidget, { signInHref: null }).use(pinia);
  app.mount(host);

  const handle: SupportChatHandle = {
    setToken: (token) => {
      if (session.useToken(token)) connection.start();
    },
    open: () => widget.open(),
    close: () => widget.close(),
    destroy: () => {
      app.unmount();
      uninstall();
      socketService.disconnect();
      if (!options.container) host.remove();
      if (current === handle) current = null;
    },
  };
  current = handle;
  return handle;
};

/** `<support-chat gateway-url="…" token="…"></support-chat>` does the same as init(). */
if (typeof customElements !== "undefined" && !customElements.get("support-chat")) {
  customElements.define(
    "support-chat",
    class extends HTMLElement {
      private handle: SupportChatHandle | null = null;

      connectedCallback() {
        const gatewayUrl = this.getAttribute("gateway-url");
        const token = this.getAttribute("token");
        const locale = this.getAttribute("locale") ?? undefined;
        if (gatewayUrl && token) this.handle = init({ gatewayUrl, token, container: this, locale });
      }

      disconnectedCallback() {
        this.handle?.destroy();
        this.handle = null;
      }
    },
  );
}
