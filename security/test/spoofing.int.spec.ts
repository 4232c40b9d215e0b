import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatMessage, ChatRoom } from "@support-chat/contracts";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import { api, connectAs, emitRaw, ErrorAck, http, openSocket, restErrorOf } from "../src/calls.js";
import { startWorld, type World } from "../src/world.js";

let w: World;
let customer: Person;
let agent: Person;
let roomId: string;
let n = 0;
const key = () => `spoof-${++n}`;

beforeAll(async () => {
  w = await startWorld();
  customer = w.person("customer", "Carol Customer");
  agent = w.person("agent", "Adam Agent");
  roomId = ChatRoom.parse((await api(w.url, customer, "GET", "/chat/room")).body).id;
  await api(w.url, agent, "POST", `/chat/support/room/${roomId}/assign`);
});
afterAll(async () => {
  await w?.stop();
});

const storedMessages = async () =>
  ChatMessage.array().parse(
    (await api(w.url, customer, "GET", `/chat/room/${roomId}/messages?limit=200`)).body,
  );

describe("identity claimed in socket payloads", () => {
  type Spoof = {
    what: string;
    who: "customer" | "agent";
    event: string;
    extra: (ids: { customer: string; agent: string }) => Record<string, unknown>;
  };
  const spoofs: Spoof[] = [
    {
      what: "a customer sending as the agent",
      who: "customer",
      event: "sendMessage",
      extra: (id) => ({ senderId: id.agent }),
    },
    {
      what: "a customer sending as support",
      who: "customer",
      event: "sendMessage",
      extra: () => ({ isFromSupport: true }),
    },
    {
      what: "an agent sending as not support",
      who: "agent",
      event: "sendMessage",
      extra: () => ({ isFromSupport: false }),
    },
    {
      what: "an agent sending as the customer",
      who: "agent",
      event: "sendMessage",
      extra: (id) => ({ senderId: id.customer }),
    },
    {
      what: "a customer typing as the agent",
      who: "customer",
      event: "typing",
      extra: (id) => ({ userId: id.agent }),
    },
    {
      what: "a customer registering as the agent",
      who: "customer",
      event: "register",
      extra: (id) => ({ userId: id.agent }),
    },
  ];

  it.for(spoofs)("refuses $what with IDENTITY_MISMATCH and changes nothing", async (spoof) => {
    const socket = await connectAs(w.url, spoof.who === "customer" ? customer : agent);
    try {
      await emitRaw(socket, "joinRoom", { roomId });
      const payload = {
        roomId,
        message: `spoofed: ${spoof.what}`,
        clientMessageId: key(),
        isTyping: true,
        ...spoof.extra({ customer: customer.id, agent: agent.id }),
      };
      const before = await w.snapshot();
      const reply = ErrorAck.parse(await emitRaw(socket, spoof.event, payload));
      expect(reply.error.code, spoof.what).toBe("IDENTITY_MISMATCH");
      expect(await w.changesSince(before)).toEqual([]);
    } finally {
      socket.close();
    }
  });

  it("accepts the seed's fields when they tell the truth", async () => {
    const socket = await connectAs(w.url, customer);
    try {
      const reply = await emitRaw(socket, "sendMessage", {
        roomId,
        message: "honest",
        clientMessageId: key(),
        senderId: customer.id,
        isFromSupport: false,
      });
      expect(reply).toMatchObject({
        status: "OK",
        data: { senderId: customer.id, isFromSupport: false },
      });
    } finally {
      socket.close();
    }
  });

  it("ignores identity fields the contract does not have; the token decides them", async () => {
    const socket = await connectAs(w.url, customer);
    try {
      const clientMessageId = key();
      const reply = await emitRaw(socket, "sendMessage", {
        roomId,
        message: "I am totally the admin",
        clientMessageId,
        senderName: "Support Team",
        senderRole: "admin",
        role: "admin",
        actor: { id: agent.id, name: "Support Team", role: "system" },
      });
      expect(reply).toMatchObject({ status: "OK" });
      const stored = (await storedMessages()).find((m) => m.clientMessageId === clientMessageId)!;
      expect(stored).toMatchObject({
        senderId: customer.id,
        senderName: "Carol Customer",
        senderRole: "customer",
        isFromSupport: false,
      });
    } finally {
      socket.close();
    }
  });

  it("ignores a user id offered in the handshake next to the token", async () => {
    const { socket, refusal } = await openSocket(w.url, {
      token: customer.token,
      userId: agent.id,
      role: "admin",
    });
    try {
      expect(refusal).toBeNull();
      const reply = await emitRaw(socket, "register", { userId: customer.id });
      expect(reply).toMatchObject({
        status: "OK",
        data: { userId: customer.id, role: "customer" },
      });
      expect(
        ErrorAck.parse(await emitRaw(socket, "setStatus", { status: "available" })).error.code,
      ).toBe("FORBIDDEN");
    } finally {
      socket.close();
    }
  });
});

describe("identity claimed in REST bodies", () => {
  it.for([
    [{ senderId: "agent-someone" }, "someone else's id"],
    [{ isFromSupport: true }, "a customer claiming to be support"],
  ] as const)("refuses %j (%s) with IDENTITY_MISMATCH and changes nothing", async ([extra]) => {
    const before = await w.snapshot();
    const reply = await api(w.url, customer, "POST", `/chat/room/${roomId}/messages`, {
      message: "spoofed over REST",
      clientMessageId: key(),
      ...extra,
    });
    expect(restErrorOf(reply).code).toBe("IDENTITY_MISMATCH");
    expect(await w.changesSince(before)).toEqual([]);
  });
});

describe("prototype pollution in payloads", () => {
  const polluted = (clientMessageId: string) =>
    `{"roomId":"${roomId}","message":"polluted","clientMessageId":"${clientMessageId}",` +
    `"__proto__":{"role":"admin","isFromSupport":true,"senderId":"${agent.id}"},` +
    `"constructor":{"prototype":{"role":"admin","isAdmin":true}}}`;

  it("stores a message sent with __proto__ keys as the token's user, and grants nothing after", async () => {
    const socket = await connectAs(w.url, customer);
    try {
      const viaSocket = key();
      const reply = await emitRaw(socket, "sendMessage", JSON.parse(polluted(viaSocket)));
      expect(reply).toMatchObject({
        status: "OK",
        data: { senderId: customer.id, isFromSupport: false },
      });
      const viaRest = key();
      const posted = await http(w.url, "POST", `/api/chat/room/${roomId}/messages`, {
        headers: { authorization: `Bearer ${customer.token}`, "content-type": "application/json" },
        body: polluted(viaRest),
      });
      expect(posted.status, posted.text).toBeLessThan(300);
      expect(ChatMessage.parse(posted.body)).toMatchObject({
        senderId: customer.id,
        isFromSupport: false,
      });
    } finally {
      socket.close();
    }
    // Nobody became an admin or support: a fresh customer is still just a customer.
    const fresh = w.person("customer");
    expect(restErrorOf(await api(w.url, fresh, "GET", "/chat/support/rooms")).code).toBe(
      "FORBIDDEN",
    );
    const freshRoom = ChatRoom.parse((await api(w.url, fresh, "GET", "/chat/room")).body);
    const own = await api(w.url, fresh, "POST", `/chat/room/${freshRoom.id}/messages`, {
      message: "plain",
      clientMessageId: "plain",
    });
    expect(ChatMessage.parse(own.body)).toMatchObject({
      isFromSupport: false,
      senderRole: "customer",
    });
    const gatewayHealth = await http(w.url, "GET", "/healthz");
    expect(gatewayHealth.status).toBe(200);
  });
});
