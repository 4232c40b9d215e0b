import { AgentView, ChatRoom, type ErrorCode } from "@support-chat/contracts";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import { api, connectAs, type RawReply } from "./calls.js";
import type { World } from "./world.js";

/** Who calls, and how they stand to the room: its customer or another, its agent or another. */
export const CALLERS = [
  "customer/own",
  "customer/other",
  "agent/own",
  "agent/other",
  "manager/other",
  "admin/other",
  "none",
] as const;
export type CallerKind = (typeof CALLERS)[number];

/** Allowed, or the code the refusal must carry. */
export type Expect = "ok" | ErrorCode;
export type Expectations = Record<CallerKind, Expect>;

/**
 * A room with a conversation in it: opened by its customer, one message, taken by an agent.
 * Around it: another customer (with a room of their own), another agent, and a third agent to
 * hand rooms to.
 */
export type Scene = {
  room: ChatRoom;
  owner: Person;
  stranger: Person;
  assignee: Person;
  colleague: Person;
  target: Person;
  manager: Person;
  admin: Person;
};

const must = async (reply: Promise<RawReply>, what: string): Promise<RawReply> => {
  const r = await reply;
  if (r.status >= 300)
    throw new Error(`setting the scene failed at ${what}: ${r.status} ${r.text}`);
  return r;
};

/** `targetOnline`: the agent rooms are handed to has the console open (transfers need that). */
export const stage = async (w: World, opts: { targetOnline?: boolean } = {}): Promise<Scene> => {
  const owner = w.person("customer");
  const stranger = w.person("customer");
  const assignee = w.person("agent");
  const opened = await must(api(w.url, owner, "GET", "/chat/room"), "open room");
  const room = ChatRoom.parse(opened.body);
  await must(
    api(w.url, owner, "POST", `/chat/room/${room.id}/messages`, {
      message: "My order never arrived",
      clientMessageId: "first",
    }),
    "first message",
  );
  await must(api(w.url, assignee, "POST", `/chat/support/room/${room.id}/assign`), "assign");
  await must(api(w.url, stranger, "GET", "/chat/room"), "stranger's room");
  const target = w.person("agent");
  if (opts.targetOnline) await bringOnline(w, target);
  return {
    room,
    owner,
    stranger,
    assignee,
    colleague: w.person("agent"),
    target,
    manager: w.person("manager"),
    admin: w.person("admin"),
  };
};

/** Opens the agent's console and waits until the assignment service counts them online. */
const bringOnline = async (w: World, agent: Person): Promise<void> => {
  w.keep(await connectAs(w.url, agent));
  const manager = w.person("manager");
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const reply = await api(w.url, manager, "GET", "/chat/support/agents");
    const agents = AgentView.array().safeParse(reply.body);
    if (agents.success && agents.data.some((a) => a.agentId === agent.id && a.online)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`agent ${agent.id} never showed as online`);
};

export const callerOf = (scene: Scene, kind: CallerKind): Person | null => {
  switch (kind) {
    case "customer/own":
      return scene.owner;
    case "customer/other":
      return scene.stranger;
    case "agent/own":
      return scene.assignee;
    case "agent/other":
      return scene.colleague;
    case "manager/other":
      return scene.manager;
    case "admin/other":
      return scene.admin;
    case "none":
      return null;
  }
};

/** Expectations for a room route: its customer and all support staff, nobody else. */
export const roomAccess: Expectations = {
  "customer/own": "ok",
  "customer/other": "FORBIDDEN",
  "agent/own": "ok",
  "agent/other": "ok",
  "manager/other": "ok",
  "admin/other": "ok",
  none: "UNAUTHENTICATED",
};

/** Expectations for a support-console route: support staff only. */
export const supportOnly: Expectations = {
  "customer/own": "FORBIDDEN",
  "customer/other": "FORBIDDEN",
  "agent/own": "ok",
  "agent/other": "ok",
  "manager/other": "ok",
  "admin/other": "ok",
  none: "UNAUTHENTICATED",
};
