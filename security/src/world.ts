import postgres from "postgres";
import { person, type Person } from "@support-chat/system-tests/src/clients.js";
import { ServiceProcess } from "@support-chat/system-tests/src/processes.js";
import { startStack, type Stack, type StackOptions } from "@support-chat/system-tests/src/stack.js";
import type { Role } from "@support-chat/contracts";

/** What the database holds, summed up so two moments can be compared for equality. */
export type Snapshot = Readonly<{
  events: number;
  lastPosition: number;
  rooms: string;
  messages: string;
  agentSettings: string;
  /** Webhook subscriptions and their deliveries (the notification service's tables). */
  webhooks: string;
}>;

const digestOf = (table: string, order: string) =>
  `(select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t.${order}), '')) from ${table} t)`;

/**
 * The real stack (every service in this process, its own database, NATS namespace and Redis
 * key) plus what the security tests need around it: signed people and a view of the database
 * to prove that a refused request changed nothing.
 */
export type World = {
  stack: Stack;
  url: string;
  sql: postgres.Sql;
  person: (role: Role, name?: string) => Person;
  snapshot: () => Promise<Snapshot>;
  /** Keeps a socket open until the world stops (an agent who stays online). */
  keep: (socket: { close: () => unknown }) => void;
  /**
   * What changed since a snapshot: each table whose rows differ, and every event appended.
   * Empty when nothing did; a test of a refusal expects exactly that.
   */
  changesSince: (snapshot: Snapshot) => Promise<string[]>;
  stop: () => Promise<void>;
};

let counter = 0;

const changesOf = async (
  sql: postgres.Sql,
  before: Snapshot,
  after: Snapshot,
): Promise<string[]> => {
  const tables = (["rooms", "messages", "agentSettings", "webhooks"] as const)
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k} changed (${before[k]} → ${after[k]})`);
  const rows = await sql<{ type: string; data: unknown; metadata: unknown }[]>`
    select type, data, metadata from events where global_position > ${before.lastPosition}
    order by global_position`;
  const events = rows.map(
    (r) => `appended ${r.type} ${JSON.stringify(r.data)} by ${JSON.stringify(r.metadata)}`,
  );
  return [...tables, ...events];
};

const snapshotOf = async (sql: postgres.Sql, hasAssignment: boolean): Promise<Snapshot> => {
  const [row] = await sql.unsafe<
    {
      events: string;
      last: string;
      rooms: string;
      messages: string;
      settings: string;
      webhooks: string;
    }[]
  >(`select
      (select count(*) from events) as events,
      (select coalesce(max(global_position), 0) from events) as last,
      ${digestOf("chat_rooms", "id")} as rooms,
      ${digestOf("chat_messages", "id")} as messages,
      ${hasAssignment ? digestOf("assignment_agent_settings", "agent_id") : "''"} as settings,
      ${digestOf("webhook_subscriptions", "id")} || ${digestOf("webhook_deliveries", "id")} as webhooks`);
  return {
    events: Number(row!.events),
    lastPosition: Number(row!.last),
    rooms: row!.rooms,
    messages: row!.messages,
    agentSettings: row!.settings,
    webhooks: row!.webhooks,
  };
};

export const startWorld = async (opts: StackOptions = {}): Promise<World> => {
  // Manual routing: rooms stay where the tests put them (no router assigns behind their back).
  const stack = await startStack({ ...opts, env: { ROUTING_POLICY: "manual", ...opts.env } });
  const sql = postgres(stack.database.url, { max: 2, onnotice: () => {} });
  const hasAssignment = opts.assignment ?? true;
  const kept: Array<{ close: () => unknown }> = [];
  return {
    stack,
    url: stack.gatewayUrl,
    sql,
    keep: (socket) => kept.push(socket),
    person: (role, name = `${role} ${++counter}`) => person(stack.jwtSecret, role, name),
    snapshot: () => snapshotOf(sql, hasAssignment),
    changesSince: async (before) => changesOf(sql, before, await snapshotOf(sql, hasAssignment)),
    stop: async () => {
      for (const socket of kept) socket.close();
      await sql.end({ timeout: 2 });
      await stack.stop();
    },
  };
};

/** The services as real OS processes, so a crash shows as a dead process, not a dead test. */
export type ProcessWorld = World & { processes: ServiceProcess[] };

export const startProcessWorld = async (
  env: Record<string, string> = {},
): Promise<ProcessWorld> => {
  const stack = await startStack({
    gateways: 0,
    chatService: false,
    assignment: false,
    env: { ROUTING_POLICY: "manual", ...env },
  });
  const processEnv = { ...stack.env, LOG_LEVEL: "error" };
  const processes: ServiceProcess[] = [];
  const stopAll = async () => {
    await Promise.all(processes.map((p) => p.stop().catch(() => undefined)));
    await stack.stop();
  };
  try {
    const chat = await ServiceProcess.create("chat-service", processEnv);
    processes.push(chat);
    await chat.start(60_000);
    const others = await Promise.all([
      ServiceProcess.create("assignment-service", processEnv),
      ServiceProcess.create("gateway-service", processEnv),
    ]);
    processes.push(...others);
    await Promise.all(others.map((p) => p.start(60_000)));
  } catch (e) {
    await stopAll();
    throw e;
  }
  const gateway = processes[2]!;
  const sql = postgres(stack.database.url, { max: 2, onnotice: () => {} });
  const kept: Array<{ close: () => unknown }> = [];
  return {
    stack,
    url: gateway.url,
    sql,
    processes,
    keep: (socket) => kept.push(socket),
    person: (role, name = `${role} ${++counter}`) => person(stack.jwtSecret, role, name),
    snapshot: () => snapshotOf(sql, true),
    changesSince: async (before) => changesOf(sql, before, await snapshotOf(sql, true)),
    stop: async () => {
      for (const socket of kept) socket.close();
      await sql.end({ timeout: 2 });
      await stopAll();
    },
  };
};
