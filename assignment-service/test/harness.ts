import { randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import {
  assignmentCommands,
  assignmentQueries,
  chatCommands,
  QueueSnapshot,
  subjectsFor,
  type Actor,
  type AgentSocketChanged,
  type AssignmentCommandName,
  type AssignmentQueryName,
  type ChatCommandName,
  type GatewayHeartbeat,
  type ReplyOf,
  type RequestOf,
} from "@support-chat/contracts";
import { createLogger, loadConfig, requesterFor } from "@support-chat/service-kit";
import { createTestDatabase, natsUrl, uniqueName } from "@support-chat/test-support";
import { ChatServiceConfig, startChatService } from "@support-chat/chat-service";
import postgres from "postgres";
import {
  AssignmentConfig,
  startAssignmentService,
  type AssignmentService,
} from "../src/service.js";

type Stoppable = { stop: () => Promise<void> };

const level = process.env.TEST_LOG_LEVEL ?? "silent";

/**
 * One isolated world per test file: its own database (shared by the chat and assignment
 * services, as in production), its own NATS namespace and stream, real services in-process,
 * and a client that acts as customers, agents and gateways.
 */
export const startWorld = async () => {
  const database = await createTestDatabase("asg_");
  const namespace = uniqueName("t");
  const subjects = subjectsFor(namespace);
  const nc: NatsConnection = await connect({ servers: natsUrl() });
  const sql = postgres(database.url, { max: 3, onnotice: () => undefined });
  const running = new Set<Stoppable>();

  const env = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "4",
    NATS_URL: natsUrl(),
    NATS_NAMESPACE: namespace,
    CHAT_OPS_PORT: "0",
    ASSIGNMENT_OPS_PORT: "0",
    RELAY_POLL_INTERVAL_MS: "20",
    ...extra,
  });

  const startChat = async (extra: Record<string, string> = {}) => {
    const service = await startChatService(
      loadConfig(ChatServiceConfig, env(extra)),
      createLogger("chat-service", level),
    );
    running.add(service);
    return service;
  };

  const startAssignment = async (extra: Record<string, string> = {}) => {
    const service = await startAssignmentService(
      loadConfig(AssignmentConfig, env(extra)),
      createLogger("assignment-service", level),
    );
    running.add(service);
    return service;
  };

  const stop = async (service: Stoppable) => {
    running.delete(service);
    await service.stop();
  };

  const chat = requesterFor({
    nc,
    operations: chatCommands,
    subjectOf: subjects.command,
    timeoutMs: 10_000,
  });
  const assignCommands = requesterFor({
    nc,
    operations: assignmentCommands,
    subjectOf: subjects.assignmentCommand,
    timeoutMs: 10_000,
  });
  const assignQueries = requesterFor({
    nc,
    operations: assignmentQueries,
    subjectOf: subjects.assignmentQuery,
    timeoutMs: 10_000,
  });

  /** Someone using the system, sending requests as themselves. */
  const as = (actor: Actor) => {
    const envelope = <P>(payload: P) => ({ actor, correlationId: randomUUID(), payload });
    return {
      actor,
      chat: <K extends ChatCommandName>(name: K, payload: RequestOf<(typeof chatCommands)[K]>) =>
        chat(name, envelope(payload)) as Promise<ReplyOf<(typeof chatCommands)[K]>>,
      command: <K extends AssignmentCommandName>(
        name: K,
        payload: RequestOf<(typeof assignmentCommands)[K]>,
      ) =>
        assignCommands(name, envelope(payload)) as Promise<ReplyOf<(typeof assignmentCommands)[K]>>,
      query: <K extends AssignmentQueryName>(
        name: K,
        payload: RequestOf<(typeof assignmentQueries)[K]>,
      ) =>
        assignQueries(name, envelope(payload)) as Promise<ReplyOf<(typeof assignmentQueries)[K]>>,
    };
  };

  /** A customer opens their room and writes, as the widget does. */
  const customerWrites = async (customer: Actor, text = "hello, I need help") => {
    const c = as(customer);
    const room = await c.chat("openRoom", {});
    await c.chat("postMessage", { roomId: room.id, clientMessageId: randomUUID(), message: text });
    return room;
  };

  /** What a gateway publishes. */
  const gateway = (gatewayId: string) => {
    const publish = (subject: string, body: unknown) =>
      nc.publish(subject, new TextEncoder().encode(JSON.stringify(body)));
    const sockets = new Map<string, { actor: Actor; socketIds: Set<string> }>();
    const change = (actor: Actor, socketId: string, connected: boolean) => {
      const entry = sockets.get(actor.id) ?? { actor, socketIds: new Set<string>() };
      if (connected) entry.socketIds.add(socketId);
      else entry.socketIds.delete(socketId);
      sockets.set(actor.id, entry);
      const message: AgentSocketChanged = {
        gatewayId,
        agentId: actor.id,
        agentName: actor.name,
        role: actor.role as AgentSocketChanged["role"],
        socketId,
        connected,
        at: new Date().toISOString(),
      };
      publish(subjects.presenceSocket, message);
    };
    return {
      connect: (actor: Actor, socketId = `${actor.id}-tab-1`) => change(actor, socketId, true),
      disconnect: (actor: Actor, socketId = `${actor.id}-tab-1`) => change(actor, socketId, false),
      heartbeat: () => {
        const beat: GatewayHeartbeat = {
          gatewayId,
          at: new Date().toISOString(),
          agents: [...sockets.values()]
            .filter((e) => e.socketIds.size > 0)
            .map((e) => ({
              agentId: e.actor.id,
              agentName: e.actor.name,
              role: e.actor.role as AgentSocketChanged["role"],
              sockets: e.socketIds.size,
            })),
        };
        publish(subjects.presenceHeartbeat, beat);
      },
      flush: () => nc.flush(),
    };
  };

  /** Every QueueSnapshot published from now on, validated. */
  const watchQueue = () => {
    const snapshots: QueueSnapshot[] = [];
    const sub = nc.subscribe(subjects.queueUpdated, {
      callback: (_err, msg) => void snapshots.push(QueueSnapshot.parse(msg.json())),
    });
    return { snapshots, stop: () => sub.unsubscribe(), latest: () => snapshots.at(-1) };
  };

  /** Rooms as the chat service's projection holds them. */
  const rooms = async () =>
    sql<{ id: string; status: string; agent: string | null; customer: string; created_at: Date }[]>`
      select id, status, support_agent_id as agent, user_id as customer, created_at
      from chat_rooms order by created_at, id`;

  /** The event log, in the order the chat service publishes it (and so the router reads it). */
  const events = async () =>
    sql<{ type: string; stream_id: string; data: Record<string, unknown>; pos: string }[]>`
      select type, stream_id, data, global_position::text as pos from events
      order by transaction_id, global_position`;

  /** Waiting rooms in queue order for rooms never requeued: the order they reached the log. */
  const waitingInLogOrder = async () => {
    const waiting = new Set((await rooms()).filter((r) => r.status === "waiting").map((r) => r.id));
    return (await events())
      .filter((e) => e.type === "RoomOpened" && waiting.has(String(e.data.roomId)))
      .map((e) => String(e.data.roomId));
  };

  const close = async () => {
    for (const service of [...running].reverse()) await service.stop().catch(() => undefined);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(subjects.eventStream).catch(() => undefined);
    await nc.close();
    await sql.end();
    await database.drop();
  };

  return {
    database,
    subjects,
    nc,
    sql,
    startChat,
    startAssignment,
    stop,
    as,
    customerWrites,
    gateway,
    watchQueue,
    rooms,
    events,
    waitingInLogOrder,
    close,
  };
};

export type World = Awaited<ReturnType<typeof startWorld>>;

/** Polls until the condition holds, failing with `what` if it does not within the bound. */
export const waitFor = async (
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

export const people = {
  customer: (n: number): Actor => ({
    id: `customer-${n}`,
    name: `Customer ${n}`,
    role: "customer",
  }),
  agent: (n: number): Actor => ({ id: `agent-${n}`, name: `Agent ${n}`, role: "agent" }),
  manager: (): Actor => ({ id: "manager-1", name: "Manager One", role: "manager" }),
};

/** Waits until the replica holds the routing lock and has read the rooms. */
export const leaderOf = async (...replicas: AssignmentService[]): Promise<AssignmentService> => {
  let leader: AssignmentService | undefined;
  await waitFor("a routing leader", () => {
    leader = replicas.find((r) => r.isLeader() && r.isReady());
    return leader !== undefined;
  });
  return leader!;
};

/** What a DomainError-carrying promise was refused with. */
export const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (e) {
    const { code } = e as { code?: string };
    return code;
  }
  throw new Error("expected a refusal, but the request succeeded");
};
