import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import ChatWidget from "../src/components/widget/ChatWidget.vue";
import LanguageSwitcher from "../src/components/common/LanguageSwitcher.vue";
import { i18n } from "../src/i18n/instance.js";
import { chooseLanguage, currentLocale, startLanguage } from "../src/i18n/language.js";
import { chooseLocale, supportedLocale } from "../src/i18n/locales.js";
import { d, n, tc } from "../src/i18n/text.js";
import { ChatRequestError, errorMessage } from "../src/services/errors.js";
import { feedbackApi } from "../src/services/feedback-api.js";
import { useWidgetStore } from "../src/stores/widget.js";
import { AGENT, aMessage, aRoom, CUSTOMER, pushOf, signIn } from "./fixtures.js";
import { fakeServer } from "./harness.js";

const browserSpeaks = (...languages: string[]) =>
  vi.spyOn(navigator, "languages", "get").mockReturnValue(languages);

beforeEach(() => localStorage.clear());
afterEach(() => {
  vi.restoreAllMocks();
  i18n.global.locale.value = "en";
});

describe("choosing the language", () => {
  it("takes the person's saved choice over everything else", () => {
    expect(chooseLocale({ saved: "es", requested: "de", browser: ["de-DE", "en"] })).toBe("es");
  });

  it("then the page's language, then the first supported browser language", () => {
    expect(chooseLocale({ saved: null, requested: "de-CH", browser: ["es"] })).toBe("de");
    expect(chooseLocale({ saved: null, browser: ["fr-FR", "de-AT", "es"] })).toBe("de");
    expect(chooseLocale({ saved: null, requested: "fr", browser: ["pt-BR", "es-MX"] })).toBe("es");
  });

  it("falls back to English, also past a saved value that is no longer supported", () => {
    expect(chooseLocale({ saved: null, browser: [] })).toBe("en");
    expect(chooseLocale({ saved: "fr", browser: ["it-IT", "ja"] })).toBe("en");
  });

  it("matches a tag by its language only, whatever its case or separator", () => {
    expect(supportedLocale("DE_at")).toBe("de");
    expect(supportedLocale("en-GB")).toBe("en");
    expect(supportedLocale("deu")).toBeNull();
    expect(supportedLocale("")).toBeNull();
  });

  it("starts in the browser's language when nothing was chosen", async () => {
    browserSpeaks("de-AT", "en-US");
    await startLanguage();
    expect(currentLocale.value).toBe("de");
  });

  it("remembers a choice from the switcher for the next start", async () => {
    browserSpeaks("de-DE");
    await chooseLanguage("es");
    i18n.global.locale.value = "en";
    await startLanguage("de");
    expect(currentLocale.value).toBe("es");
  });
});

describe("switching", () => {
  it("changes the widget's texts at once, without a reload", async () => {
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
    store.onNewMessage(pushOf(aMessage(1, { message: "Hallo" })));
    store.onNewMessage(pushOf(aMessage(2, { message: "Noch da?" })));
    await flushPromises();
    const launcher = widget.get("button.sc-launcher");
    expect(launcher.attributes("aria-label")).toBe("Open chat, 2 unread messages");

    await chooseLanguage("de");
    await flushPromises();
    expect(launcher.attributes("aria-label")).toBe("Chat öffnen, 2 ungelesene Nachrichten");
    expect(widget.get(".sc-widget").attributes("lang")).toBe("de");

    await launcher.trigger("click");
    await flushPromises();
    expect(widget.get("[role=dialog]").attributes("aria-label")).toBe("Support-Chat");
    expect(widget.text()).toContain("Verbunden mit Alex");
    const select = widget.get("select");
    expect((select.element as HTMLSelectElement).value).toBe("de");

    await select.setValue("es");
    await flushPromises();
    expect(widget.text()).toContain("Conectado con Alex");
    expect(localStorage.getItem("support-chat:language")).toBe("es");
    widget.unmount();
  });

  it("offers every language under its own name", () => {
    const switcher = mount(LanguageSwitcher);
    expect(switcher.findAll("option").map((o) => o.text())).toEqual([
      "English",
      "Deutsch",
      "Español",
    ]);
    expect(switcher.get("label").text()).toBe("Language");
  });
});

describe("formatting", () => {
  it("counts, numbers and times follow the language's own rules", () => {
    const at = new Date(2025, 0, 1, 14, 5);
    expect(tc("chat.newBelow", 1)).toBe("1 new message");
    expect(tc("chat.newBelow", 3)).toBe("3 new messages");
    expect(n(1.5, "decimal")).toBe("1.5");
    expect(d(at, "time")).toMatch(/^02:05\s?PM$/);

    i18n.global.locale.value = "de";
    expect(tc("chat.newBelow", 1)).toBe("1 neue Nachricht");
    expect(tc("chat.newBelow", 3)).toBe("3 neue Nachrichten");
    expect(n(1.5, "decimal")).toBe("1,5");
    expect(n(39.9, "price")).toMatch(/^39,90\s€$/);
    expect(d(at, "time")).toBe("14:05");
    expect(d("not a date", "time")).toBe("");
  });
});

describe("error texts", () => {
  const refused = new ChatRequestError("AGENT_AT_CAPACITY", "Sam already has 3 open chats");

  it("shows the server's own words in English and the code's text in other languages", () => {
    expect(errorMessage(refused)).toBe("Sam already has 3 open chats");
    i18n.global.locale.value = "de";
    expect(errorMessage(refused)).toBe("Dieser Agent kann keinen weiteren Chat übernehmen.");
  });

  it("keeps the server's detail after a translated validation failure", () => {
    i18n.global.locale.value = "es";
    const invalid = new ChatRequestError("VALIDATION_FAILED", "url: must start with https://");
    expect(errorMessage(invalid)).toBe(
      "Algunos datos no son válidos. (url: must start with https://)",
    );
  });

  it("always translates the client's own failures, and passes unknown codes through", () => {
    const offline = new ChatRequestError("DISCONNECTED", "Not connected", true);
    expect(errorMessage(offline)).toBe("Not connected");
    i18n.global.locale.value = "de";
    expect(errorMessage(offline)).toBe("Nicht verbunden");
    expect(errorMessage(new ChatRequestError("HTTP_418", "Teapot"))).toBe("Teapot");
    expect(errorMessage("boom")).toBe("Etwas ist schiefgelaufen");
  });
});
