import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defineComponent, h, ref } from "vue";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { CANNED_LIMITS, CannedShortcut, type CannedResponse } from "@support-chat/contracts";
import MessageComposer from "../src/components/chat/MessageComposer.vue";
import CannedResponseAssist from "../src/components/console/CannedResponseAssist.vue";
import {
  CANNED_SHORTCUT_MAX,
  CANNED_TEXT_MAX,
  CANNED_TITLE_MAX,
  checkCannedDraft,
  insertAt,
  matchCanned,
  normalizeShortcut,
  slashQueryAt,
} from "../src/domain/canned.js";
import { cannedApi } from "../src/services/canned-api.js";
import { installDispatcher } from "../src/services/dispatcher.js";
import type { PhaseChange, SocketService } from "../src/services/socket.js";
import { useConnectionStore } from "../src/stores/connection.js";
import { useCannedResponsesStore } from "../src/stores/canned-responses.js";

const response = (shortcut: string, over: Partial<CannedResponse> = {}): CannedResponse => ({
  id: `id-${shortcut}`,
  title: `Title of ${shortcut}`,
  shortcut,
  text: `Text of ${shortcut}`,
  version: 1,
  updatedAt: "2026-01-01T00:00:00.000Z",
  updatedByName: "Mia Manager",
  ...over,
});

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.restoreAllMocks());

describe("canned response rules in the console", () => {
  it("match the contracts", () => {
    expect([CANNED_TITLE_MAX, CANNED_SHORTCUT_MAX, CANNED_TEXT_MAX]).toEqual([
      CANNED_LIMITS.titleMax,
      CANNED_LIMITS.shortcutMax,
      CANNED_LIMITS.textMax,
    ]);
    for (const raw of [" /Refund ", "ship_2", "/", "a b", "ÄÖ"]) {
      const server = CannedShortcut.safeParse(raw);
      expect(normalizeShortcut(raw)).toBe(server.success ? server.data : normalizeShortcut(raw));
      expect(!checkCannedDraft({ title: "t", shortcut: raw, text: "x" }).shortcut).toBe(
        server.success,
      );
    }
  });

  it("finds the shortcut being typed at the caret, and only there", () => {
    expect(slashQueryAt("/ref", 4)).toEqual({ start: 0, end: 4, query: "ref" });
    expect(slashQueryAt("Hi! /Ship", 9)).toEqual({ start: 4, end: 9, query: "ship" });
    expect(slashQueryAt("line\n/", 6)).toEqual({ start: 5, end: 6, query: "" });
    expect(slashQueryAt("and/or", 6)).toBeNull();
    expect(slashQueryAt("see https://x.io/ref", 20)).toBeNull();
    expect(slashQueryAt("/ref tail", 9)).toBeNull();
    expect(slashQueryAt("/ref tail", 4)).toEqual({ start: 0, end: 4, query: "ref" });
  });

  it("ranks shortcuts starting with the query, then containing it, then titles", () => {
    const all = [
      response("prefund"),
      response("refund"),
      response("hello", { title: "Refund greeting" }),
      response("zzz"),
      response("refunds"),
    ];
    expect(matchCanned(all, "REF").map((r) => r.shortcut)).toEqual([
      "refund",
      "refunds",
      "prefund",
      "hello",
    ]);
  });

  it("inserts over the typed shortcut and puts the caret after the text", () => {
    expect(insertAt("Hi /ref!", 3, 7, "Refunds take 5 days.")).toEqual({
      text: "Hi Refunds take 5 days.!",
      caret: 23,
    });
  });

  it("says what is wrong with each field of a draft", () => {
    expect(checkCannedDraft({ title: " ", shortcut: "a b", text: "x".repeat(2001) })).toEqual({
      title: "Give it a title.",
      shortcut: "Only letters a–z, digits, _ and -.",
      text: "That is 2001 characters; the limit is 2000.",
    });
    expect(checkCannedDraft({ title: "Hi", shortcut: "/Hi", text: "Hello" })).toEqual({});
  });
});

describe("the canned responses store", () => {
  it("keeps the newer of an answer and a push, in either order, and never revives a deleted one", () => {
    const store = useCannedResponsesStore();
    store.onChanged({ change: "saved", response: response("refund", { version: 2, text: "v2" }) });
    store.onChanged({ change: "saved", response: response("refund", { version: 1, text: "v1" }) });
    expect(store.responses.map((r) => r.text)).toEqual(["v2"]);
    store.onChanged({ change: "deleted", id: "id-refund", version: 3 });
    store.onChanged({ change: "saved", response: response("refund", { version: 2 }) });
    expect(store.responses).toEqual([]);
  });

  it("loads the list sorted by shortcut", async () => {
    vi.spyOn(cannedApi, "list").mockResolvedValue([response("zeta"), response("alpha")]);
    const store = useCannedResponsesStore();
    await store.load();
    expect(store.responses.map((r) => r.shortcut)).toEqual(["alpha", "zeta"]);
  });
});

describe("canned response pushes", () => {
  it("reach the store, malformed ones are dropped, and a reconnect reads the list again", async () => {
    const handlers = new Map<string, (payload: unknown) => void>();
    let phase: (change: PhaseChange) => void = () => undefined;
    const socket = {
      on: (event: string, handler: (payload: unknown) => void) => {
        handlers.set(event, handler);
        return () => handlers.delete(event);
      },
      onPhase: (handler: (change: PhaseChange) => void) => {
        phase = handler;
        return () => undefined;
      },
    } as unknown as Pick<SocketService, "on" | "onPhase">;
    const store = useCannedResponsesStore();
    installDispatcher(socket, { connection: useConnectionStore(), cannedResponses: store });
    const push = handlers.get("cannedResponseChanged")!;

    push({ change: "saved", response: response("refund") });
    push({ change: "saved", response: { id: "no-version" } });
    push({ change: "deleted", id: 42, version: 1 });
    push("garbage");
    expect(store.responses.map((r) => r.shortcut)).toEqual(["refund"]);
    push({ change: "deleted", id: "id-refund", version: 2 });
    expect(store.responses).toEqual([]);

    const list = vi.spyOn(cannedApi, "list").mockResolvedValue([response("hello")]);
    phase({ phase: "connected", resumed: true, reason: null });
    await flushPromises();
    expect(list).toHaveBeenCalledOnce();
    expect(store.responses.map((r) => r.shortcut)).toEqual(["hello"]);
  });
});

/** The console's composer as the conversation pane puts it together. */
const sent: string[] = [];
const Composer = defineComponent({
  setup() {
    const draft = ref("");
    return () =>
      h(
        CannedResponseAssist,
        { modelValue: draft.value, "onUpdate:modelValue": (v: string) => (draft.value = v) },
        () =>
          h(MessageComposer, {
            modelValue: draft.value,
            "onUpdate:modelValue": (v: string) => (draft.value = v),
            onSend: () => sent.push(draft.value),
          }),
      );
  },
});

const mountComposer = () => {
  sent.length = 0;
  const store = useCannedResponsesStore();
  store.onChanged({ change: "saved", response: response("refund", { text: "Refunds: 5 days." }) });
  store.onChanged({
    change: "saved",
    response: response("returns", { text: "Returns: 30 days." }),
  });
  store.onChanged({ change: "saved", response: response("hello", { text: "Hello there!" }) });
  return mount(Composer, { attachTo: document.body });
};

const typeInto = async (wrapper: ReturnType<typeof mountComposer>, text: string) => {
  const area = wrapper.find("textarea");
  const el = area.element as HTMLTextAreaElement;
  el.focus();
  el.value = text;
  el.setSelectionRange(text.length, text.length);
  await area.trigger("input");
  await flushPromises();
  return area;
};

describe("inserting canned responses in the composer", () => {
  it("suggests matches for /re, moves with the arrows and inserts with Enter instead of sending", async () => {
    const wrapper = mountComposer();
    const area = await typeInto(wrapper, "Hi! /re");
    expect(
      wrapper.findAll('[role="option"]').map((o) => o.find(".picker__shortcut").text()),
    ).toEqual(["/refund", "/returns"]);
    await area.trigger("keydown", { key: "ArrowDown" });
    expect(wrapper.find('[aria-selected="true"]').text()).toContain("/returns");
    await area.trigger("keydown", { key: "Enter" });
    await flushPromises();
    expect((area.element as HTMLTextAreaElement).value).toBe("Hi! Returns: 30 days.");
    expect(sent).toEqual([]);
    expect(wrapper.find('[role="listbox"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("inserts with Tab, and closes with Esc until a new / is typed", async () => {
    const wrapper = mountComposer();
    let area = await typeInto(wrapper, "/hel");
    await area.trigger("keydown", { key: "Escape" });
    expect(wrapper.find('[role="listbox"]').exists()).toBe(false);
    area = await typeInto(wrapper, "/hell");
    expect(wrapper.find('[role="listbox"]').exists()).toBe(false);
    area = await typeInto(wrapper, "/hell /h");
    expect(wrapper.find('[role="listbox"]').exists()).toBe(true);
    await area.trigger("keydown", { key: "Tab" });
    await flushPromises();
    expect((area.element as HTMLTextAreaElement).value).toBe("/hell Hello there!");
    wrapper.unmount();
  });

  it("lists every canned response from the button, and a click inserts at the caret", async () => {
    const wrapper = mountComposer();
    const area = await typeInto(wrapper, "Dear customer, ");
    await wrapper.find(".assist__button").trigger("click");
    const options = wrapper.findAll('[role="option"]');
    expect(options).toHaveLength(3);
    await options[0]!.trigger("click");
    await flushPromises();
    expect((area.element as HTMLTextAreaElement).value).toBe("Dear customer, Hello there!");
    wrapper.unmount();
  });

  it("leaves Enter to send when nothing matches", async () => {
    const wrapper = mountComposer();
    const area = await typeInto(wrapper, "/nothing-like-this");
    expect(wrapper.find('[role="listbox"]').exists()).toBe(false);
    await area.trigger("keydown", { key: "Enter" });
    expect(sent).toEqual(["/nothing-like-this"]);
    wrapper.unmount();
  });
});
