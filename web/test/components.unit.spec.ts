import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import MessageComposer from "../src/components/chat/MessageComposer.vue";
import MessageList from "../src/components/chat/MessageList.vue";
import ChatWidget from "../src/components/widget/ChatWidget.vue";
import type { TimelineItem } from "../src/domain/timeline.js";
import { createAppRouter } from "../src/router.js";
import { useWidgetStore } from "../src/stores/widget.js";
import { AGENT, aMessage, aRoom, CUSTOMER, pushOf, signIn } from "./fixtures.js";
import { fakeServer } from "./harness.js";

const XSS = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>**bold**`;

const messageItem = (text: string, mine = false): TimelineItem => ({
  kind: "message",
  key: "m-1",
  message: aMessage(1, { message: text, fromCustomer: mine }),
  mine,
});

beforeEach(() => localStorage.clear());
afterEach(() => vi.restoreAllMocks());

describe("message rendering", () => {
  it("shows an HTML or script payload literally and runs nothing", () => {
    const list = mount(MessageList, {
      props: { items: [messageItem(XSS)], hasOlder: false, loadingOlder: false, typingName: null },
      attachTo: document.body,
    });
    const text = list.find(".sc-message__text");
    expect(text.text()).toBe(XSS);
    expect(list.find("img").exists()).toBe(false);
    expect(list.find("script").exists()).toBe(false);
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
    list.unmount();
  });

  it("names the sender and marks a failed message with a retry button", async () => {
    const list = mount(MessageList, {
      props: {
        items: [
          messageItem("Hi, how can I help?"),
          {
            kind: "outgoing",
            key: "o-1",
            outgoing: {
              clientMessageId: "c-1",
              message: "My order",
              createdAt: "",
              state: "failed",
              error: "Not sent",
            },
          },
        ],
        hasOlder: false,
        loadingOlder: false,
        typingName: "Alex",
      },
    });
    expect(list.text()).toContain("Alex (Support)");
    expect(list.text()).toContain("Alex is typing");
    await list.find("button.sc-message__retry").trigger("click");
    expect(list.emitted("retry")).toEqual([["c-1"]]);
  });
});

describe("message composer", () => {
  const mountComposer = (text: string) =>
    mount(MessageComposer, {
      props: { modelValue: text, "onUpdate:modelValue": () => undefined },
    });

  it("sends on Enter and inserts a new line on Shift+Enter", async () => {
    const composer = mountComposer("Hello");
    const input = composer.get("textarea");
    await input.trigger("keydown", { key: "Enter", shiftKey: true });
    expect(composer.emitted("send")).toBeUndefined();
    await input.trigger("keydown", { key: "Enter" });
    expect(composer.emitted("send")).toHaveLength(1);
  });

  it("does not send an empty message", async () => {
    const composer = mountComposer("   ");
    await composer.get("textarea").trigger("keydown", { key: "Enter" });
    expect(composer.emitted("send")).toBeUndefined();
    expect(composer.get("button[type=submit]").attributes("disabled")).toBeDefined();
  });

  it("gives its controls accessible names", () => {
    const composer = mountComposer("");
    const id = composer.get("textarea").attributes("id");
    expect(composer.get(`label[for="${id}"]`).text()).toBe("Message");
    expect(composer.get("button[type=submit]").attributes("aria-label")).toBe("Send");
  });
});

describe("chat widget", () => {
  beforeEach(() => signIn(CUSTOMER));

  it("shows the unread count on the launcher and opens the chat window", async () => {
    const server = fakeServer(
      aRoom({ status: "open", supportAgentName: "Alex", supportAgentId: AGENT.id }),
    );
    localStorage.setItem(`support-chat:widget-room:${CUSTOMER.id}`, server.room.id);
    const widgetStore = useWidgetStore();
    const widget = mount(ChatWidget, { attachTo: document.body });
    await flushPromises();

    widgetStore.onNewMessage(pushOf(aMessage(1, { message: "Your parcel left today" })));
    await flushPromises();
    const launcher = widget.get("button.sc-launcher");
    expect(launcher.attributes("aria-label")).toBe("Open chat, 1 unread message");
    expect(widget.get(".sc-launcher__badge").text()).toBe("1");

    await launcher.trigger("click");
    await flushPromises();
    expect(widget.get("[role=dialog]").attributes("aria-label")).toBe("Support chat");
    expect(widget.text()).toContain("Connected with Alex");
    expect(widget.text()).toContain("Your parcel left today");
    expect(widget.find(".sc-launcher__badge").exists()).toBe(false);
    widget.unmount();
  });

  it("asks a signed-out visitor to sign in", async () => {
    localStorage.clear();
    setActivePinia(createPinia());
    const widget = mount(ChatWidget);
    await widget.get("button.sc-launcher").trigger("click");
    expect(widget.text()).toContain("Sign in to chat");
    expect(widget.get("a").attributes("href")).toBe("/login");
  });
});

describe("support console access", () => {
  it("sends signed-out people to the sign-in page and customers to 'not allowed'", async () => {
    setActivePinia(createPinia());
    const router = createAppRouter();
    await router.push("/admin/support");
    expect(router.currentRoute.value.fullPath).toBe("/login?redirect=/admin/support");

    signIn(CUSTOMER);
    setActivePinia(createPinia());
    const again = createAppRouter();
    await again.push("/admin/support");
    expect(again.currentRoute.value.name).toBe("not-allowed");

    signIn(AGENT);
    setActivePinia(createPinia());
    const agentRouter = createAppRouter();
    await agentRouter.push("/admin/support");
    expect(agentRouter.currentRoute.value.name).toBe("support");
  });
});

describe("widget keyboard use", () => {
  beforeEach(() => signIn(CUSTOMER));

  it("Escape minimizes the window and gives the focus back to the launcher", async () => {
    fakeServer(aRoom({ status: "open" }));
    const widget = mount(ChatWidget, { attachTo: document.body });
    await widget.get("button.sc-launcher").trigger("click");
    await flushPromises();
    await widget.get("[role=dialog]").trigger("keydown", { key: "Escape" });
    await flushPromises();
    expect(widget.find("[role=dialog]").exists()).toBe(false);
    expect(document.activeElement).toBe(widget.get("button.sc-launcher").element);
    widget.unmount();
  });
});
