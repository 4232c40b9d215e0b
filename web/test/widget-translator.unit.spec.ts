import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import ChatWidget from "../src/components/widget/ChatWidget.vue";
import { vueI18nTranslator } from "../src/i18n/instance.js";
import { chooseLanguage, startLanguage } from "../src/i18n/language.js";
import { LOCALES } from "../src/i18n/locales.js";
import { createPlainTranslator } from "../src/i18n/plain-translator.js";
import { installTranslator, type Catalog } from "../src/i18n/translator.js";
import { feedbackApi } from "../src/services/feedback-api.js";
import { useWidgetStore } from "../src/stores/widget.js";
import { AGENT, aMessage, aRoom, CUSTOMER, pushOf, signIn } from "./fixtures.js";
import { fakeServer } from "./harness.js";

/** The widget as the embed bundle runs it: its own translator over the plain JSON catalogs. */
const sources = import.meta.glob<string>("../src/i18n/widget/*.json", {
  query: "?raw",
  import: "default",
  eager: true,
});

beforeAll(() => {
  const translator = createPlainTranslator();
  for (const locale of LOCALES) {
    const source = sources[`../src/i18n/widget/${locale}.json`];
    translator.addCatalog(locale, JSON.parse(source!) as Catalog);
  }
  installTranslator(translator);
});
afterAll(() => installTranslator(vueI18nTranslator));
beforeEach(() => localStorage.clear());
afterEach(() => vi.restoreAllMocks());

describe("the widget on its own translator", () => {
  it("starts in the page's language and switches at once, counts included", async () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["en-US"]);
    await startLanguage("de-AT");
    signIn(CUSTOMER);
    const server = fakeServer(
      aRoom({ status: "open", supportAgentName: "Alex", supportAgentId: AGENT.id }),
    );
    localStorage.setItem(`support-chat:widget-room:${CUSTOMER.id}`, server.room.id);
    vi.spyOn(feedbackApi, "mailFeatures").mockResolvedValue({
      transcripts: false,
      offlineNotices: false,
    });
    const store = useWidgetStore();
    const widget = mount(ChatWidget, { attachTo: document.body });
    await flushPromises();
    const launcher = widget.get("button.sc-launcher");
    expect(launcher.attributes("aria-label")).toBe("Chat öffnen");

    store.onNewMessage(pushOf(aMessage(1, { message: "Hallo" })));
    await flushPromises();
    expect(launcher.attributes("aria-label")).toBe("Chat öffnen, 1 ungelesene Nachricht");
    store.onNewMessage(pushOf(aMessage(2, { message: "Noch da?" })));
    await flushPromises();
    expect(launcher.attributes("aria-label")).toBe("Chat öffnen, 2 ungelesene Nachrichten");

    await launcher.trigger("click");
    await flushPromises();
    expect(widget.text()).toContain("Verbunden mit Alex");
    await chooseLanguage("es");
    await flushPromises();
    expect(widget.get(".sc-widget").attributes("lang")).toBe("es");
    expect(widget.text()).toContain("Conectado con Alex");
    // vue-i18n, which the console uses, was never asked.
    expect(vueI18nTranslator.locale.value).toBe("en");
    widget.unmount();
  });
});
