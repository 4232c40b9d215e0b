import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { api } from "../src/services/api.js";
import { ChatRequestError } from "../src/services/errors.js";
import { useWidgetStore } from "../src/stores/widget.js";
import { aMessage, aRoom, CUSTOMER, pushOf, ROOM_ID, signIn } from "./fixtures.js";
import { fakeServer, requestsOf } from "./harness.js";

const seqsShown = (widget: ReturnType<typeof useWidgetStore>) =>
  widget.items.flatMap((i) => (i.kind === "message" ? [i.message.seq] : []));

beforeEach(() => {
  localStorage.clear();
  signIn(CUSTOMER);
});
afterEach(() => vi.restoreAllMocks());

describe("widget conversation", () => {
  it("fills a gap in seq from the server and shows every message once", async () => {
    const all = [1, 2, 3, 4, 5].map((s) => aMessage(s));
    const server = fakeServer(aRoom({ status: "open", lastSeq: 2 }), all.slice(0, 2));
    const widget = useWidgetStore();
    await widget.open();
    expect(seqsShown(widget)).toEqual([1, 2]);

    // 3 and 4 were missed (say, during a network blip); 5 arrives live.
    server.messages = all;
    widget.onNewMessage(pushOf(aMessage(5)));
    widget.onNewMessage(pushOf(aMessage(5)));

    await vi.waitFor(() => expect(seqsShown(widget)).toEqual([1, 2, 3, 4, 5]));
    expect(server.pageRequests.filter((p) => "after" in p)).toEqual([{ after: 2 }]);
  });

  it("catches up after a reconnect from the last seq it has", async () => {
    const server = fakeServer(aRoom({ status: "open", lastSeq: 2 }), [aMessage(1), aMessage(2)]);
    const widget = useWidgetStore();
    await widget.open();

    server.messages = [1, 2, 3, 4].map((s) => aMessage(s));
    server.room = aRoom({ status: "open", lastSeq: 4 });
    await widget.onConnected();

    expect(seqsShown(widget)).toEqual([1, 2, 3, 4]);
    expect(requestsOf(server, "joinRoom")).toHaveLength(2);
  });

  it("keeps a retried send as one message, under the same clientMessageId", async () => {
    const server = fakeServer(aRoom({ status: "open" }));
    let attempts = 0;
    const base = server.answer;
    server.answer = async (event, payload) => {
      if (event !== "sendMessage") return base(event, payload);
      attempts++;
      if (attempts === 1) throw new ChatRequestError("TIMEOUT", "No answer from the server", true);
      return aMessage(1, {
        fromCustomer: true,
        message: String(payload.message),
        clientMessageId: String(payload.clientMessageId),
      });
    };
    const widget = useWidgetStore();
    await widget.open();

    expect(await widget.send("Where is my order?")).toBeNull();
    const failed = widget.items.find((i) => i.kind === "outgoing");
    expect(failed?.kind === "outgoing" && failed.outgoing.state).toBe("failed");

    await widget.retry(failed?.kind === "outgoing" ? failed.outgoing.clientMessageId : "");
    // The server also pushes the message it stored: it must not show up twice.
    const stored = widget.items.find((i) => i.kind === "message");
    widget.onNewMessage(pushOf(stored?.kind === "message" ? stored.message : aMessage(1)));

    const sends = requestsOf(server, "sendMessage");
    expect(sends).toHaveLength(2);
    expect(sends[0]?.clientMessageId).toBe(sends[1]?.clientMessageId);
    expect(widget.items).toHaveLength(1);
    expect(widget.items[0]?.kind === "message" && widget.items[0].message.message).toBe(
      "Where is my order?",
    );
  });

  it("holds a message written while offline and sends it when the connection is back", async () => {
    const server = fakeServer(aRoom({ status: "open" }));
    server.answer = async (event, payload) =>
      event === "sendMessage"
        ? aMessage(1, { fromCustomer: true, clientMessageId: String(payload.clientMessageId) })
        : server.room;
    const widget = useWidgetStore();
    await widget.open();
    server.connected = false;

    await widget.send("hello?");
    expect(widget.items[0]?.kind === "outgoing" && widget.items[0].outgoing.state).toBe("pending");
    expect(requestsOf(server, "sendMessage")).toHaveLength(0);

    server.connected = true;
    await widget.onConnected();
    expect(requestsOf(server, "sendMessage")).toHaveLength(1);
    expect(widget.items.map((i) => i.kind)).toEqual(["message"]);
  });

  it("refuses an empty or oversized message without sending anything", async () => {
    const server = fakeServer(aRoom({ status: "open" }));
    const widget = useWidgetStore();
    await widget.open();
    expect(await widget.send("   ")).toMatch(/write a message/i);
    expect(await widget.send("x".repeat(2001))).toMatch(/limit is 2000/);
    expect(requestsOf(server, "sendMessage")).toHaveLength(0);
    expect(widget.items).toEqual([]);
  });
});

describe("widget unread counter", () => {
  it("counts agent messages while closed, survives a reload, and clears when opened", async () => {
    const server = fakeServer(aRoom({ status: "open", lastSeq: 1 }), [
      aMessage(1, { fromCustomer: true }),
    ]);
    localStorage.setItem(`support-chat:widget-room:${CUSTOMER.id}`, ROOM_ID);
    const widget = useWidgetStore();
    await widget.start();
    expect(widget.unread).toBe(0);

    server.messages.push(aMessage(2), aMessage(3));
    widget.onNewMessage(pushOf(aMessage(2)));
    widget.onNewMessage(pushOf(aMessage(3)));
    widget.onNewMessage(pushOf(aMessage(3)));
    expect(widget.unread).toBe(2);
    expect(requestsOf(server, "markRead")).toHaveLength(0);

    // A reload: a new store shows the stored count before the server answers.
    setActivePinia(createPinia());
    const reloaded = useWidgetStore();
    expect(reloaded.unread).toBe(2);
    server.room = aRoom({ status: "open", lastSeq: 3, unreadCount: 2 });
    await reloaded.start();
    expect(reloaded.unread).toBe(2);

    await reloaded.open();
    await vi.waitFor(() => expect(reloaded.unread).toBe(0));
    expect(requestsOf(server, "markRead")).toEqual([{ roomId: ROOM_ID, upToSeq: 3 }]);
  });

  it("does not count the customer's own messages", async () => {
    fakeServer(aRoom({ status: "open" }));
    const widget = useWidgetStore();
    await widget.open();
    widget.close();
    widget.onNewMessage(pushOf(aMessage(1, { fromCustomer: true })));
    expect(widget.unread).toBe(0);
  });
});

describe("widget status", () => {
  it("shows the queue position while waiting, offline with no agents, the agent once joined", async () => {
    fakeServer(aRoom({ status: "waiting" }));
    const widget = useWidgetStore();
    await widget.open();
    widget.onQueueUpdated({
      roomId: ROOM_ID,
      position: 2,
      estimatedWaitSeconds: 90,
      agentsOnline: 1,
    });
    expect(widget.status).toBe("waiting");
    expect(widget.queue?.position).toBe(2);

    widget.onQueueUpdated({
      roomId: ROOM_ID,
      position: 1,
      estimatedWaitSeconds: null,
      agentsOnline: 0,
    });
    expect(widget.status).toBe("offline");

    widget.onSupportJoined({
      roomId: ROOM_ID,
      agentId: "agent-1",
      agentName: "Alex",
      message: "Alex joined the chat",
    });
    expect(widget.status).toBe("connected");
    expect(widget.room?.supportAgentName).toBe("Alex");
    expect(widget.items.at(-1)).toMatchObject({ kind: "notice", text: "Alex joined the chat" });
  });

  it("ignores pushes for other rooms", async () => {
    fakeServer(aRoom({ status: "waiting" }));
    const widget = useWidgetStore();
    await widget.open();
    widget.onQueueUpdated({
      roomId: "00000000-0000-4000-8000-000000000999",
      position: 7,
      estimatedWaitSeconds: 600,
      agentsOnline: 2,
    });
    expect(widget.queue).toBeNull();
  });
});

describe("widget rooms", () => {
  it("creates a room only with the first message, not by opening the widget", async () => {
    fakeServer(aRoom({ status: "waiting" }));
    localStorage.removeItem(`support-chat:widget-room:${CUSTOMER.id}`);
    const widget = useWidgetStore();
    await widget.open();
    expect(widget.room).toBeNull();
    expect(api.myRoom).not.toHaveBeenCalled();

    await widget.send("Hello");
    expect(api.myRoom).toHaveBeenCalledOnce();
    expect(widget.room?.id).toBe(ROOM_ID);
    expect(localStorage.getItem(`support-chat:widget-room:${CUSTOMER.id}`)).toBe(ROOM_ID);
  });
});
