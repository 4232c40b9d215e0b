import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTypingSender, TYPING_SHOWN_MS } from "../src/services/typing.js";
import { useWidgetStore } from "../src/stores/widget.js";
import { aRoom, CUSTOMER, ROOM_ID, signIn } from "./fixtures.js";
import { fakeServer, requestsOf } from "./harness.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("sending typing indicators", () => {
  it("sends one 'typing' for a burst of keystrokes and one 'stopped' after a short silence", () => {
    const sent: boolean[] = [];
    const typing = createTypingSender((isTyping) => sent.push(isTyping), { idleMs: 2500 });
    for (let i = 0; i < 10; i++) {
      typing.input();
      vi.advanceTimersByTime(100);
    }
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(2500);
    expect(sent).toEqual([true, false]);
  });

  it("refreshes while someone keeps typing, so the other side does not time it out", () => {
    const sent: boolean[] = [];
    const typing = createTypingSender((isTyping) => sent.push(isTyping), {
      idleMs: 2500,
      refreshMs: 3000,
    });
    for (let i = 0; i < 14; i++) {
      typing.input();
      vi.advanceTimersByTime(500);
    }
    expect(sent).toEqual([true, true, true]);
  });

  it("stops at once on send, and only once", () => {
    const sent: boolean[] = [];
    const typing = createTypingSender((isTyping) => sent.push(isTyping));
    typing.input();
    typing.stop();
    typing.stop();
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([true, false]);
  });
});

describe("typing in the widget", () => {
  beforeEach(() => {
    localStorage.clear();
    signIn(CUSTOMER);
  });

  it("tells the gateway the customer is typing, debounced", async () => {
    const server = fakeServer(aRoom({ status: "open" }));
    const widget = useWidgetStore();
    await widget.open();
    widget.typed();
    widget.typed();
    widget.typed();
    await vi.advanceTimersByTimeAsync(3000);
    expect(requestsOf(server, "typing")).toEqual([
      { roomId: ROOM_ID, isTyping: true },
      { roomId: ROOM_ID, isTyping: false },
    ]);
  });

  it("shows the agent typing, and switches it off after a few seconds of silence", async () => {
    fakeServer(aRoom({ status: "open" }));
    const widget = useWidgetStore();
    await widget.open();
    const push = { roomId: ROOM_ID, userId: "agent-1", userName: "Alex", isFromSupport: true };
    widget.onUserTyping({ ...push, isTyping: true });
    expect(widget.agentTyping).toBe("Alex");
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1);
    expect(widget.agentTyping).toBe("Alex");
    vi.advanceTimersByTime(1);
    expect(widget.agentTyping).toBeNull();

    widget.onUserTyping({ ...push, isTyping: true });
    widget.onUserTyping({ ...push, isTyping: false });
    expect(widget.agentTyping).toBeNull();
  });

  it("does not show the customer's own typing", async () => {
    fakeServer(aRoom({ status: "open" }));
    const widget = useWidgetStore();
    await widget.open();
    widget.onUserTyping({
      roomId: ROOM_ID,
      userId: CUSTOMER.id,
      userName: CUSTOMER.name,
      isFromSupport: false,
      isTyping: true,
    });
    expect(widget.agentTyping).toBeNull();
  });
});
