import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ChatMessage,
  ChatRoom,
  RoomNote,
  SearchHit,
  SupportReport,
  type ClientEventName,
} from "@support-chat/contracts";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import {
  api,
  connectAs,
  emitRaw,
  ErrorAck,
  openSocket,
  restErrorOf,
  type RawReply,
} from "../src/calls.js";
import {
  CALLERS,
  callerOf,
  roomAccess,
  stage,
  supportOnly,
  type CallerKind,
  type Expectations,
  type Scene,
} from "../src/scene.js";
import { startWorld, type World } from "../src/world.js";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

type RestRoute = {
  route: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: (s: Scene) => string;
  body?: (s: Scene) => unknown;
  expect: Expectations;
  /** Whether the agent rooms are handed to must be online. */
  targetOnline?: boolean;
  /** Done by the room's agent before the call (e.g. a label for the call to remove). */
  prepare?: (s: Scene) => Promise<void>;
  /** What an allowed call must have done. */
  verify: (reply: RawReply, s: Scene, caller: Person) => void;
};

/** Managers and admins only. */
const managersOnly: Expectations = {
  ...supportOnly,
  "agent/own": "FORBIDDEN",
  "agent/other": "FORBIDDEN",
};

/** The last day, up to an hour from now: the scene's room was opened in it. */
const lastDay = () =>
  new URLSearchParams({
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date(Date.now() + 3_600_000).toISOString(),
  }).toString();

const restRoutes: RestRoute[] = [
  {
    route: "GET /chat/room",
    method: "GET",
    path: () => "/chat/room",
    expect: {
      ...roomAccess,
      // Anyone's own room: a customer only ever gets their own, support staff none at all.
      "customer/other": "ok",
      "agent/own": "FORBIDDEN",
      "agent/other": "FORBIDDEN",
      "manager/other": "FORBIDDEN",
      "admin/other": "FORBIDDEN",
    },
    verify: (r, _s, caller) => expect(ChatRoom.parse(r.body).userId).toBe(caller.id),
  },
  {
    route: "GET /chat/room/:id",
    method: "GET",
    path: (s) => `/chat/room/${s.room.id}`,
    expect: roomAccess,
    verify: (r, s) => expect(ChatRoom.parse(r.body).id).toBe(s.room.id),
  },
  {
    route: "GET /chat/room/:id/messages",
    method: "GET",
    path: (s) => `/chat/room/${s.room.id}/messages`,
    expect: roomAccess,
    verify: (r) =>
      expect(
        ChatMessage.array()
          .parse(r.body)
          .map((m) => m.message),
      ).toEqual(["My order never arrived"]),
  },
  {
    route: "POST /chat/room/:id/messages",
    method: "POST",
    path: (s) => `/chat/room/${s.room.id}/messages`,
    body: () => ({ message: "let me in", clientMessageId: "probe-1" }),
    expect: roomAccess,
    verify: (r, _s, caller) => {
      expect(r.status).toBe(201);
      expect(ChatMessage.parse(r.body)).toMatchObject({
        senderId: caller.id,
        message: "let me in",
      });
    },
  },
  {
    route: "POST /chat/room/:id/read",
    method: "POST",
    path: (s) => `/chat/room/${s.room.id}/read`,
    body: () => ({}),
    expect: roomAccess,
    verify: (r, s) => expect(r.body).toMatchObject({ roomId: s.room.id }),
  },
  {
    route: "POST /chat/room/:id/close",
    method: "POST",
    path: (s) => `/chat/room/${s.room.id}/close`,
    expect: roomAccess,
    verify: (r) => expect(ChatRoom.parse(r.body).status).toBe("closed"),
  },
  {
    route: "GET /chat/room/:id/queue",
    method: "GET",
    path: (s) => `/chat/room/${s.room.id}/queue`,
    expect: roomAccess,
    verify: (r, s) => expect(r.body).toMatchObject({ roomId: s.room.id }),
  },
  {
    route: "GET /chat/support/rooms",
    method: "GET",
    path: () => "/chat/support/rooms",
    expect: supportOnly,
    verify: (r, s) =>
      expect(
        ChatRoom.array()
          .parse(r.body)
          .map((room) => room.id),
      ).toContain(s.room.id),
  },
  {
    route: "POST /chat/support/room/:id/assign",
    method: "POST",
    path: (s) => `/chat/support/room/${s.room.id}/assign`,
    // Another agent may not take a room someone holds; managers and admins may take it over.
    expect: { ...supportOnly, "agent/other": "ALREADY_ASSIGNED" },
    verify: (r, _s, caller) => expect(ChatRoom.parse(r.body).supportAgentId).toBe(caller.id),
  },
  {
    route: "POST /chat/support/room/:id/transfer",
    method: "POST",
    path: (s) => `/chat/support/room/${s.room.id}/transfer`,
    body: (s) => ({ agentId: s.target.id }),
    // Only the agent holding the room, or a manager or admin, may hand it over.
    expect: { ...supportOnly, "agent/other": "FORBIDDEN" },
    verify: (r, s) => expect(ChatRoom.parse(r.body).supportAgentId).toBe(s.target.id),
    targetOnline: true,
  },
  {
    route: "GET /chat/support/agents",
    method: "GET",
    path: () => "/chat/support/agents",
    expect: supportOnly,
    verify: (r) => expect(Array.isArray(r.body)).toBe(true),
  },
  {
    route: "PUT /chat/support/agents/:agentId/capacity",
    method: "PUT",
    path: (s) => `/chat/support/agents/${encodeURIComponent(s.assignee.id)}/capacity`,
    body: () => ({ maxChats: 9 }),
    // Managers and admins set capacities; no agent sets one, not even their own.
    expect: { ...supportOnly, "agent/own": "FORBIDDEN", "agent/other": "FORBIDDEN" },
    verify: (r, s) => expect(r.body).toMatchObject({ agentId: s.assignee.id, maxChats: 9 }),
  },
  {
    route: "GET /chat/support/room/:id/notes",
    method: "GET",
    path: (s) => `/chat/support/room/${s.room.id}/notes`,
    prepare: async (s) => {
      await api(w.url, s.assignee, "POST", `/chat/support/room/${s.room.id}/notes`, {
        text: "customer is a reseller",
        clientNoteId: "scene-note",
      });
    },
    expect: supportOnly,
    verify: (r) =>
      expect(
        RoomNote.array()
          .parse(r.body)
          .map((n) => n.text),
      ).toEqual(["customer is a reseller"]),
  },
  {
    route: "POST /chat/support/room/:id/notes",
    method: "POST",
    path: (s) => `/chat/support/room/${s.room.id}/notes`,
    body: () => ({ text: "let me note", clientNoteId: "probe-note" }),
    expect: supportOnly,
    verify: (r, s, caller) => {
      expect(r.status).toBe(201);
      expect(RoomNote.parse(r.body)).toMatchObject({ roomId: s.room.id, authorId: caller.id });
    },
  },
  {
    route: "POST /chat/support/room/:id/labels",
    method: "POST",
    path: (s) => `/chat/support/room/${s.room.id}/labels`,
    body: () => ({ label: "Probe Label" }),
    expect: supportOnly,
    verify: (r) => expect(ChatRoom.parse(r.body).labels).toEqual(["probe-label"]),
  },
  {
    route: "DELETE /chat/support/room/:id/labels/:label",
    method: "DELETE",
    path: (s) => `/chat/support/room/${s.room.id}/labels/refund`,
    prepare: async (s) => {
      await api(w.url, s.assignee, "POST", `/chat/support/room/${s.room.id}/labels`, {
        label: "refund",
      });
    },
    expect: supportOnly,
    verify: (r) => expect(ChatRoom.parse(r.body).labels).toEqual([]),
  },
  {
    route: "GET /chat/support/search",
    method: "GET",
    path: () => "/chat/support/search?q=never%20arrived",
    expect: supportOnly,
    verify: (r, s) =>
      expect(
        SearchHit.array()
          .parse(r.body)
          .map((hit) => hit.roomId),
      ).toContain(s.room.id),
  },
  {
    route: "GET /chat/support/reports",
    method: "GET",
    path: () => `/chat/support/reports?${lastDay()}`,
    expect: managersOnly,
    verify: (r) => expect(SupportReport.parse(r.body).summary.chats).toBeGreaterThanOrEqual(1),
  },
];

const cells = <T extends { expect: Expectations }>(items: T[], callers: readonly CallerKind[]) =>
  items.flatMap((item) =>
    callers.map((caller) => ({ ...item, caller, outcome: item.expect[caller] })),
  );

describe("every REST route × role × own/other room", () => {
  it.for(
    cells(restRoutes, CALLERS).map((c) => [`${c.route} as ${c.caller} → ${c.outcome}`, c] as const),
  )("%s", async ([, cell]) => {
    const scene = await stage(w, { targetOnline: cell.targetOnline });
    await cell.prepare?.(scene);
    const caller = callerOf(scene, cell.caller);
    const before = await w.snapshot();
    const reply = await api(w.url, caller, cell.method, cell.path(scene), cell.body?.(scene));
    if (cell.outcome === "ok") {
      expect(reply.status, reply.text).toBeLessThan(300);
      cell.verify(reply, scene, caller!);
      return;
    }
    expect(restErrorOf(reply).code, reply.text).toBe(cell.outcome);
    expect(await w.changesSince(before)).toEqual([]);
  });
});

type SocketEvent = {
  event: ClientEventName;
  payload: (s: Scene, caller: Person) => unknown;
  /** Done first, as a client would (typing needs the room joined). */
  before?: ClientEventName;
  expect: Expectations;
};

const socketEvents: SocketEvent[] = [
  {
    event: "register",
    payload: (_s, caller) => ({ userId: caller.id }),
    expect: { ...roomAccess, "customer/other": "ok" },
  },
  { event: "joinRoom", payload: (s) => ({ roomId: s.room.id }), expect: roomAccess },
  {
    event: "leaveRoom",
    payload: (s) => ({ roomId: s.room.id }),
    // Leaving a room one never joined does nothing, for anyone.
    expect: { ...roomAccess, "customer/other": "ok" },
  },
  {
    event: "sendMessage",
    payload: (s) => ({ roomId: s.room.id, message: "let me in", clientMessageId: "probe-2" }),
    expect: roomAccess,
  },
  {
    event: "typing",
    payload: (s) => ({ roomId: s.room.id, isTyping: true }),
    before: "joinRoom",
    expect: roomAccess,
  },
  { event: "markRead", payload: (s) => ({ roomId: s.room.id }), expect: roomAccess },
  { event: "setStatus", payload: () => ({ status: "busy" }), expect: supportOnly },
];

describe("every socket event × role × own/other room", () => {
  const signedIn = CALLERS.filter((c) => c !== "none");
  it.for(
    cells(socketEvents, signedIn).map(
      (c) => [`${c.event} as ${c.caller} → ${c.outcome}`, c] as const,
    ),
  )("%s", async ([, cell]) => {
    const scene = await stage(w);
    const caller = callerOf(scene, cell.caller)!;
    const socket = await connectAs(w.url, caller);
    try {
      const payload = cell.payload(scene, caller);
      if (cell.before) await emitRaw(socket, cell.before, payload);
      const before = await w.snapshot();
      const reply = await emitRaw(socket, cell.event, payload);
      if (cell.outcome === "ok") {
        expect(reply).toMatchObject({ status: "OK" });
        return;
      }
      expect(ErrorAck.parse(reply).error.code).toBe(cell.outcome);
      expect(await w.changesSince(before)).toEqual([]);
    } finally {
      socket.close();
    }
  });

  it("refuses the handshake without a token, so no event can be sent at all", async () => {
    const { refusal } = await openSocket(w.url, undefined);
    expect(refusal).toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("refused callers learn nothing afterwards", () => {
  it("a customer refused from another room receives none of its pushes", async () => {
    const scene = await stage(w);
    const victim = await connectAs(w.url, scene.owner);
    const intruder = await connectAs(w.url, scene.stranger);
    const seen: unknown[] = [];
    intruder.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
    try {
      expect(
        ErrorAck.parse(await emitRaw(intruder, "joinRoom", { roomId: scene.room.id })).error.code,
      ).toBe("FORBIDDEN");
      expect(
        ErrorAck.parse(await emitRaw(intruder, "typing", { roomId: scene.room.id, isTyping: true }))
          .error.code,
      ).toBe("FORBIDDEN");
      await emitRaw(victim, "sendMessage", {
        roomId: scene.room.id,
        message: "my address is 1 Secret Lane",
        clientMessageId: "secret",
      });
      // Pushes are made in log order: once the intruder has the push of their own later
      // message, any push of the victim's earlier one would have come before it.
      const ownRoom = ChatRoom.parse((await api(w.url, scene.stranger, "GET", "/chat/room")).body);
      const marker = new Promise<void>((resolve) =>
        intruder.on("newMessage", (m) => m.clientMessageId === "marker" && resolve()),
      );
      await emitRaw(intruder, "sendMessage", {
        roomId: ownRoom.id,
        message: "anything new?",
        clientMessageId: "marker",
      });
      await marker;
      expect(JSON.stringify(seen)).not.toContain("Secret Lane");
      expect(JSON.stringify(seen)).not.toContain(scene.room.id);
    } finally {
      victim.close();
      intruder.close();
    }
  });

  it("an unknown room is NOT_FOUND for everyone and changes nothing", async () => {
    const scene = await stage(w);
    const ghost = "00000000-0000-4000-8000-000000000000";
    const before = await w.snapshot();
    for (const who of [scene.owner, scene.assignee, scene.admin]) {
      for (const [method, path] of [
        ["GET", `/chat/room/${ghost}`],
        ["GET", `/chat/room/${ghost}/messages`],
        ["POST", `/chat/room/${ghost}/read`],
        ["POST", `/chat/room/${ghost}/close`],
      ] as const) {
        expect(restErrorOf(await api(w.url, who, method, path)).code).toBe("NOT_FOUND");
      }
      const post = await api(w.url, who, "POST", `/chat/room/${ghost}/messages`, {
        message: "hello?",
        clientMessageId: "ghost",
      });
      expect(restErrorOf(post).code).toBe("NOT_FOUND");
    }
    expect(await w.changesSince(before)).toEqual([]);
  });

  it("a closed room takes no more messages, from anyone", async () => {
    const scene = await stage(w);
    await api(w.url, scene.owner, "POST", `/chat/room/${scene.room.id}/close`);
    const before = await w.snapshot();
    for (const who of [scene.owner, scene.assignee, scene.admin]) {
      const reply = await api(w.url, who, "POST", `/chat/room/${scene.room.id}/messages`, {
        message: "still there?",
        clientMessageId: `late-${who.role}`,
      });
      expect(restErrorOf(reply).code).toBe("ROOM_CLOSED");
    }
    expect(await w.changesSince(before)).toEqual([]);
  });
});

describe("assignment rules hold at the edge", () => {
  it("an agent at capacity cannot take one more room through the console route", async () => {
    // AGENT_MAX_CHATS is 3 by default; the router passes it on, the console's claim must too.
    const agent = w.person("agent");
    const rooms: string[] = [];
    for (let i = 0; i < 4; i++) {
      rooms.push(
        ChatRoom.parse((await api(w.url, w.person("customer"), "GET", "/chat/room")).body).id,
      );
    }
    for (const roomId of rooms.slice(0, 3)) {
      expect((await api(w.url, agent, "POST", `/chat/support/room/${roomId}/assign`)).status).toBe(
        200,
      );
    }
    const before = await w.snapshot();
    const fourth = await api(w.url, agent, "POST", `/chat/support/room/${rooms[3]}/assign`);
    expect(
      fourth.status,
      `a 4th claim over capacity 3 was accepted: ${fourth.text.slice(0, 160)}`,
    ).not.toBe(200);
    expect(restErrorOf(fourth).code).toBe("AGENT_AT_CAPACITY");
    expect(await w.changesSince(before)).toEqual([]);
  });

  it("a room cannot be handed to someone who is not an agent", async () => {
    const scene = await stage(w);
    for (const agentId of [scene.stranger.id, "nobody-at-all"]) {
      const before = await w.snapshot();
      const reply = await api(
        w.url,
        scene.assignee,
        "POST",
        `/chat/support/room/${scene.room.id}/transfer`,
        {
          agentId,
        },
      );
      expect(
        reply.status,
        `transfer to ${agentId} was accepted: ${reply.text.slice(0, 160)}`,
      ).toBeGreaterThanOrEqual(400);
      expect(["NOT_FOUND", "AGENT_NOT_AVAILABLE", "FORBIDDEN", "VALIDATION_FAILED"]).toContain(
        restErrorOf(reply).code,
      );
      expect(await w.changesSince(before)).toEqual([]);
    }
  });
});
