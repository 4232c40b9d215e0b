import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";

vi.mock("../src/services/alert-signals.js", () => ({
  beep: vi.fn(),
  notifyDesktop: vi.fn(),
  notificationAccess: () => "granted",
  askNotificationAccess: async () => "granted",
}));

const signals = await import("../src/services/alert-signals.js");
const { useAlertsStore } = await import("../src/stores/alerts.js");

const request = (roomId: string, userName = "Clara") => ({
  roomId,
  userId: `u-${roomId}`,
  userName,
  message: "Hello?",
  seq: 1,
});

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
});
afterEach(() => vi.clearAllMocks());

describe("new chat alerts", () => {
  it("list the request, beep and raise a desktop notification", () => {
    const alerts = useAlertsStore();
    alerts.onNewChatRequest(request("r1"));
    expect(alerts.items).toMatchObject([{ roomId: "r1", userName: "Clara", seen: false }]);
    expect(alerts.unseen).toBe(1);
    expect(signals.beep).toHaveBeenCalledOnce();
    expect(signals.notifyDesktop).toHaveBeenCalledWith(
      "New chat from Clara",
      "Hello?",
      "r1",
      expect.any(Function),
    );
  });

  it("stay silent when the agent turned the sound off, and list a room once", () => {
    const alerts = useAlertsStore();
    alerts.toggleSound();
    vi.clearAllMocks();
    alerts.onNewChatRequest(request("r1"));
    alerts.onNewChatRequest(request("r1"));
    expect(signals.beep).not.toHaveBeenCalled();
    expect(alerts.items).toHaveLength(1);
  });

  it("count as seen once the chat is opened", () => {
    const alerts = useAlertsStore();
    alerts.onNewChatRequest(request("r1"));
    alerts.onNewChatRequest(request("r2", "Bea"));
    alerts.markSeen("r1");
    expect(alerts.unseen).toBe(1);
  });
});
