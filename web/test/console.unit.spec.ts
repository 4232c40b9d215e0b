import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../src/services/api.js";
import { useConsoleConversationsStore } from "../src/stores/console-conversations.js";
import { useConsoleRoomsStore } from "../src/stores/console-rooms.js";
import { AGENT, aMessage, aRoom, OTHER_ROOM_ID, pushOf, ROOM_ID, signIn } from "./fixtures.js";
import { fakeServer, requestsOf } from "./harness.js";

const fromCustomer = (seq: number) => aMessage(seq, { fromCustomer: true });

beforeEach(() => {
  localStorage.clear();
  signIn(AGENT);
});
afterEach(() => vi.restoreAllMocks());

describe("console rooms", () => {
  it("sorts and filters: waiting first, mine, queue, all, closed", async () => {
    fakeServer(aRoom());
    const rooms = useConsoleRoomsStore();
    rooms.upsert(aRoom({ id: ROOM_ID, status: "waiting", userName: "Clara" }));
    rooms.upsert(
      aRoom({ id: OTHER_ROOM_ID, status: "open", supportAgentId: AGENT.id, userName: "Bea" }),
    );
    rooms.upsert(
      aRoom({
        id: "2b7d2e90-3f4a-4b5c-8d6e-7f8091a2b3c4",
        status: "open",
        supportAgentId: "agent-2",
      }),
    );
    rooms.upsert(aRoom({ id: "3c7d2e90-3f4a-4b5c-8d6e-7f8091a2b3c4", status: "closed" }));

    expect(rooms.counts).toEqual({ mine: 1, queue: 1, all: 3, closed: 1 });
    expect(rooms.visible[0]?.userName).toBe("Clara");
    await rooms.setFilter("mine");
    expect(rooms.visible.map((r) => r.userName)).toEqual(["Bea"]);
  });

  it("keeps the newest snapshot of a room when an older one arrives late", () => {
    fakeServer(aRoom());
    const rooms = useConsoleRoomsStore();
    rooms.upsert(aRoom({ status: "open", updatedAt: "2025-01-01T10:05:00.000Z", lastSeq: 4 }));
    rooms.upsert(aRoom({ status: "waiting", updatedAt: "2025-01-01T10:01:00.000Z", lastSeq: 1 }));
    expect(rooms.byId(ROOM_ID)?.status).toBe("open");
  });
});

describe("console conversations", () => {
  it("opening a waiting chat assigns it, joins it and shows its latest page", async () => {
    const history = Array.from({ length: 60 }, (_, i) => fromCustomer(i + 1));
    const server = fakeServer(aRoom({ status: "waiting", lastSeq: 60 }), history);
    const rooms = useConsoleRoomsStore();
    const conversations = useConsoleConversationsStore();
    await rooms.load();

    await conversations.open(ROOM_ID);

    expect(api.claim).toHaveBeenCalledWith(ROOM_ID);
    expect(rooms.byId(ROOM_ID)?.supportAgentId).toBe(AGENT.id);
    expect(requestsOf(server, "joinRoom")).toEqual([{ roomId: ROOM_ID }]);
    const shown = () =>
      conversations.itemsOf(ROOM_ID).map((i) => (i.kind === "message" ? i.message.seq : 0));
    expect(shown()).toEqual(history.slice(10).map((m) => m.seq));
    expect(conversations.active?.hasOlder).toBe(true);

    await conversations.loadOlder(ROOM_ID);
    expect(shown()).toEqual(history.map((m) => m.seq));
    expect(conversations.active?.hasOlder).toBe(false);
  });

  it("does not take a chat another agent already has", async () => {
    fakeServer(aRoom({ status: "open", supportAgentId: "agent-2", supportAgentName: "Sam" }));
    const conversations = useConsoleConversationsStore();
    await conversations.open(ROOM_ID);
    expect(api.claim).not.toHaveBeenCalled();
  });

  it("keeps a draft per chat while switching between several", async () => {
    const server = fakeServer(aRoom({ status: "open", supportAgentId: AGENT.id }));
    server.answer = async (event, payload) =>
      event === "sendMessage"
        ? aMessage(1, {
            chatRoomId: String(payload.roomId),
            clientMessageId: String(payload.clientMessageId),
          })
        : server.room;
    const conversations = useConsoleConversationsStore();
    await conversations.open(ROOM_ID);
    conversations.setDraft(ROOM_ID, "Let me check that for you");
    await conversations.open(OTHER_ROOM_ID);
    conversations.setDraft(OTHER_ROOM_ID, "Hello Bea");
    conversations.activate(ROOM_ID);

    expect(conversations.openIds).toEqual([ROOM_ID, OTHER_ROOM_ID]);
    expect(conversations.drafts[ROOM_ID]).toBe("Let me check that for you");

    await conversations.send(OTHER_ROOM_ID);
    expect(conversations.drafts[OTHER_ROOM_ID]).toBe("");
    expect(conversations.drafts[ROOM_ID]).toBe("Let me check that for you");
    expect(requestsOf(server, "sendMessage")).toMatchObject([
      { roomId: OTHER_ROOM_ID, message: "Hello Bea" },
    ]);
  });

  it("counts a customer's unread messages, and reads them when the chat is in front", async () => {
    const server = fakeServer(aRoom({ status: "open", supportAgentId: AGENT.id }));
    server.answer = async (event, payload) =>
      event === "markRead"
        ? { roomId: payload.roomId, side: "support", upToSeq: payload.upToSeq, unreadCount: 0 }
        : server.room;
    const rooms = useConsoleRoomsStore();
    const conversations = useConsoleConversationsStore();
    rooms.upsert(aRoom({ id: OTHER_ROOM_ID, status: "open", unreadCount: 3, lastSeq: 3 }));
    expect(conversations.unreadOf(rooms.byId(OTHER_ROOM_ID)!)).toBe(3);

    await conversations.open(ROOM_ID);
    server.messages.push(fromCustomer(1));
    conversations.onNewMessage(pushOf(fromCustomer(1)));
    await vi.waitFor(() => expect(conversations.unreadOf(rooms.byId(ROOM_ID)!)).toBe(0));
    expect(requestsOf(server, "markRead")).toEqual([{ roomId: ROOM_ID, upToSeq: 1 }]);
  });

  it("shows the customer typing in that chat only", async () => {
    fakeServer(aRoom({ status: "open", supportAgentId: AGENT.id }));
    const conversations = useConsoleConversationsStore();
    await conversations.open(ROOM_ID);
    conversations.onUserTyping({
      roomId: ROOM_ID,
      userId: "cust-1",
      userName: "Clara",
      isFromSupport: false,
      isTyping: true,
    });
    expect(conversations.typingIn).toEqual({ [ROOM_ID]: "Clara" });
    conversations.onNewMessage(pushOf(fromCustomer(1)));
    expect(conversations.typingIn).toEqual({});
  });

  it("closing a chat updates its status; closing the tab leaves the room", async () => {
    const server = fakeServer(aRoom({ status: "open", supportAgentId: AGENT.id }));
    const rooms = useConsoleRoomsStore();
    const conversations = useConsoleConversationsStore();
    await conversations.open(ROOM_ID);
    await conversations.closeRoom(ROOM_ID);
    expect(rooms.byId(ROOM_ID)?.status).toBe("closed");
    conversations.closeTab(ROOM_ID);
    expect(conversations.openIds).toEqual([]);
    expect(conversations.activeId).toBeNull();
    expect(requestsOf(server, "leaveRoom")).toEqual([{ roomId: ROOM_ID }]);
  });
});

describe("handing a chat over", () => {
  it("transfers to another agent and closes the tab", async () => {
    fakeServer(aRoom({ status: "open", supportAgentId: AGENT.id }));
    vi.spyOn(api, "transfer").mockResolvedValue(
      aRoom({
        status: "open",
        supportAgentId: "agent-2",
        supportAgentName: "Sam",
        updatedAt: "2025-01-01T11:00:00.000Z",
      }),
    );
    const rooms = useConsoleRoomsStore();
    const conversations = useConsoleConversationsStore();
    await conversations.open(ROOM_ID);
    await conversations.transfer(ROOM_ID, "agent-2");
    expect(api.transfer).toHaveBeenCalledWith(ROOM_ID, "agent-2");
    expect(rooms.byId(ROOM_ID)?.supportAgentName).toBe("Sam");
    expect(rooms.counts.mine).toBe(0);
    expect(conversations.openIds).toEqual([]);
  });

  it("keeps the chat and shows why when the transfer is refused", async () => {
    fakeServer(aRoom({ status: "open", supportAgentId: AGENT.id }));
    const { ChatRequestError } = await import("../src/services/errors.js");
    vi.spyOn(api, "transfer").mockRejectedValue(
      new ChatRequestError("AGENT_AT_CAPACITY", "Sam already has 3 open chats"),
    );
    const conversations = useConsoleConversationsStore();
    await conversations.open(ROOM_ID);
    await conversations.transfer(ROOM_ID, "agent-2");
    expect(conversations.openIds).toEqual([ROOM_ID]);
    expect(conversations.errors[ROOM_ID]).toBe("Sam already has 3 open chats");
  });
});
