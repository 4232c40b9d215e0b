import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AgentView } from "@support-chat/contracts";
import { installDispatcher } from "../src/services/dispatcher.js";
import type { PhaseChange, SocketService } from "../src/services/socket.js";
import { api } from "../src/services/api.js";
import { useAgentsStore } from "../src/stores/agents.js";
import { useAlertsStore } from "../src/stores/alerts.js";
import { useConnectionStore } from "../src/stores/connection.js";
import { useConsoleConversationsStore } from "../src/stores/console-conversations.js";
import { useConsoleRoomsStore } from "../src/stores/console-rooms.js";
import { useWidgetStore } from "../src/stores/widget.js";
import { AGENT, aMessage, aRoom, OTHER_ROOM_ID, pushOf, ROOM_ID, signIn } from "./fixtures.js";
import { fakeServer } from "./harness.js";

/** A socket service stand-in that lets a test play the server's pushes. */
const fakeSocket = () => {
  const handlers = new Map<string, (payload: unknown) => void>();
  let phase: ((change: PhaseChange) => void) | null = null;
  const socket = {
    on: (event: string, handler: (payload: unknown) => void) => {
      handlers.set(event, handler);
      return () => handlers.delete(event);
    },
    onPhase: (handler: (change: PhaseChange) => void) => {
      phase = handler;
      return () => (phase = null);
    },
  } as unknown as Pick<SocketService, "on" | "onPhase">;
  return {
    socket,
    push: (event: string, payload: unknown) => handlers.get(event)?.(payload),
    phase: (change: PhaseChange) => phase?.(change),
    handled: () => [...handlers.keys()].sort(),
  };
};

const agentView = (overrides: Partial<AgentView> = {}): AgentView => ({
  agentId: AGENT.id,
  agentName: AGENT.name,
  role: "agent",
  status: "available",
  online: true,
  load: 1,
  maxChats: 3,
  lastAssignedAt: null,
  ...overrides,
});

const targets = () => ({
  connection: useConnectionStore(),
  widget: useWidgetStore(),
  rooms: useConsoleRoomsStore(),
  conversations: useConsoleConversationsStore(),
  agents: useAgentsStore(),
  alerts: useAlertsStore(),
});

beforeEach(() => {
  localStorage.clear();
  signIn(AGENT);
});
afterEach(() => vi.restoreAllMocks());

describe("dispatcher", () => {
  it("subscribes to every server event of the contract", () => {
    fakeServer(aRoom());
    const wire = fakeSocket();
    installDispatcher(wire.socket, targets());
    expect(wire.handled()).toEqual(
      [
        "agentUpdated",
        "cannedResponseChanged",
        "messagesRead",
        "newChatRequest",
        "newMessage",
        "noteAdded",
        "queueUpdated",
        "roomAssigned",
        "roomRated",
        "roomUnassigned",
        "roomUpdated",
        "supportJoined",
        "userTyping",
      ].sort(),
    );
  });

  it("maps room, request and agent pushes to the console's stores", async () => {
    fakeServer(aRoom({ id: OTHER_ROOM_ID, userName: "Bea" }));
    const wire = fakeSocket();
    const t = targets();
    installDispatcher(wire.socket, t);

    wire.push("roomUpdated", {
      room: aRoom({ status: "open", supportAgentId: AGENT.id, unreadCount: 2 }),
    });
    expect(t.rooms.byId(ROOM_ID)?.status).toBe("open");
    expect(t.rooms.counts.mine).toBe(1);

    wire.push("newChatRequest", {
      roomId: OTHER_ROOM_ID,
      userId: "cust-2",
      userName: "Bea",
      message: "Is this in stock?",
      seq: 1,
    });
    expect(t.alerts.items[0]).toMatchObject({
      roomId: OTHER_ROOM_ID,
      userName: "Bea",
      seen: false,
    });
    await vi.waitFor(() => expect(t.rooms.byId(OTHER_ROOM_ID)?.userName).toBe("Bea"));
    expect(api.room).toHaveBeenCalledWith(OTHER_ROOM_ID);

    wire.push("agentUpdated", { agent: agentView({ status: "busy", load: 2 }) });
    expect(t.agents.myStatus).toBe("busy");
    expect(t.agents.me?.load).toBe(2);
  });

  it("maps conversation pushes to the widget", () => {
    fakeServer(aRoom());
    const wire = fakeSocket();
    const t = targets();
    const onNewMessage = vi.spyOn(t.widget, "onNewMessage");
    const onQueueUpdated = vi.spyOn(t.widget, "onQueueUpdated");
    installDispatcher(wire.socket, t);
    const push = pushOf(aMessage(1));
    wire.push("newMessage", push);
    wire.push("queueUpdated", {
      roomId: ROOM_ID,
      position: 1,
      estimatedWaitSeconds: 30,
      agentsOnline: 1,
    });
    expect(onNewMessage).toHaveBeenCalledWith(push);
    expect(onQueueUpdated).toHaveBeenCalledOnce();
  });

  it("drops malformed pushes instead of breaking the page", () => {
    fakeServer(aRoom());
    const wire = fakeSocket();
    const t = targets();
    const onNewMessage = vi.spyOn(t.widget, "onNewMessage");
    installDispatcher(wire.socket, t);
    wire.push("newMessage", null);
    wire.push("newMessage", { roomId: ROOM_ID });
    wire.push("roomUpdated", { room: "nope" });
    expect(onNewMessage).not.toHaveBeenCalled();
    expect(t.rooms.counts.all).toBe(0);
  });

  it("shows the connection state and resyncs everything when the connection comes back", () => {
    fakeServer(aRoom());
    const wire = fakeSocket();
    const t = targets();
    const widgetResync = vi.spyOn(t.widget, "onConnected").mockResolvedValue();
    const consoleResync = vi.spyOn(t.conversations, "onConnected").mockResolvedValue();
    const reloadRooms = vi.spyOn(t.rooms, "load").mockResolvedValue();
    installDispatcher(wire.socket, t);

    wire.phase({ phase: "reconnecting", resumed: false, reason: null });
    expect(t.connection.label).toMatch(/reconnecting/i);

    wire.phase({ phase: "connected", resumed: true, reason: null });
    expect(t.connection.connected).toBe(true);
    expect(t.connection.resumedCount).toBe(1);
    expect(widgetResync).toHaveBeenCalledOnce();
    expect(consoleResync).toHaveBeenCalledOnce();
    expect(reloadRooms).toHaveBeenCalledOnce();
  });

  it("stops delivering once uninstalled", () => {
    fakeServer(aRoom());
    const wire = fakeSocket();
    const t = targets();
    const uninstall = installDispatcher(wire.socket, t);
    uninstall();
    expect(wire.handled()).toEqual([]);
  });
});
