import { randomUUID } from "node:crypto";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import {
  chatCommands,
  chatQueries,
  subjectsFor,
  type Actor,
  type ChatCommandName,
  type ChatQueryName,
  type RecordedRoomEvent,
  type ReplyOf,
  type RequestOf,
} from "@support-chat/contracts";
import { createLogger, loadConfig, requesterFor } from "@support-chat/service-kit";
import { createTestDatabase, natsUrl, uniqueName } from "@support-chat/test-support";
import postgres from "postgres";
import { ChatServiceConfig, startChatService, type ChatService } from "../src/service.js";

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * One isolated world per test file: its own database, its own NATS namespace (and so its own
 * JetStream stream), real services started in-process, and clients acting as people.
 */
export const startHarness = async () => {
  const database = await createTestDatabase("chat_");
  const namespace = uniqueName("t");
  const subjects = subjectsFor(namespace);
  const log = createLogger("chat-service-test", process.env.TEST_LOG_LEVEL ?? "silent");
  const nc: NatsConnection = await connect({ servers: natsUrl() });
  const sql = postgres(database.url, { max: 5, onnotice: () => undefined });
  const services = new Set<ChatService>();

  const config = (env: Record<string, string> = {}) =>
    loadConfig(ChatServiceConfig, {
      DATABASE_URL: database.url,
      NATS_URL: natsUrl(),
      NATS_NAMESPACE: namespace,
      CHAT_OPS_PORT: "0",
      RELAY_POLL_INTERVAL_MS: "50",
      ...env,
    });

  const start = async (env: Record<string, string> = {}) => {
    const service = await startChatService(config(env), log);
    services.add(service);
    return service;
  };
  const stop = async (service: ChatService) => {
    services.delete(service);
    await service.stop();
  };

  const commands = requesterFor({
    nc,
    operations: chatCommands,
    subjectOf: subjects.command,
    timeoutMs: 10_000,
  });
  const queries = requesterFor({
    nc,
    operations: chatQueries,
    subjectOf: subjects.query,
    timeoutMs: 10_000,
  });

  /** Someone using the system: sends commands and queries as themselves. */
  const as = (actor: Actor) => ({
    actor,
    command: <K extends ChatCommandName>(name: K, payload: RequestOf<(typeof chatCommands)[K]>) =>
      commands(name, { actor, correlationId: randomUUID(), payload }) as Promise<
        ReplyOf<(typeof chatCommands)[K]>
      >,
    query: <K extends ChatQueryName>(name: K, payload: RequestOf<(typeof chatQueries)[K]>) =>
      queries(name, { actor, correlationId: randomUUID(), payload }) as Promise<
        ReplyOf<(typeof chatQueries)[K]>
      >,
  });

  /** A command with a correlation id of the caller's choosing. */
  const commandWith = <K extends ChatCommandName>(
    actor: Actor,
    correlationId: string,
    name: K,
    payload: RequestOf<(typeof chatCommands)[K]>,
  ) =>
    commands(name, { actor, correlationId, payload }) as Promise<ReplyOf<(typeof chatCommands)[K]>>;

  /** Every event in the stream, read by an ordered consumer from the start. */
  const publishedEvents = async (expected: number): Promise<RecordedRoomEvent[]> => {
    const consumer = await jetstream(nc).consumers.get(subjects.eventStream);
    const messages = await consumer.consume();
    const received: RecordedRoomEvent[] = [];
    const deadline = setTimeout(() => messages.stop(), 20_000);
    for await (const m of messages) {
      received.push(m.json<RecordedRoomEvent>());
      if (received.length >= expected && m.info.pending === 0) break;
    }
    clearTimeout(deadline);
    await messages.close();
    return received;
  };

  const streamMessageCount = async (): Promise<number> => {
    const jsm = await jetstreamManager(nc);
    try {
      return (await jsm.streams.info(subjects.eventStream)).state.messages;
    } catch {
      return 0;
    }
  };

  const close = async () => {
    await Promise.all([...services].map((s) => s.stop()));
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
    start,
    stop,
    as,
    commandWith,
    publishedEvents,
    streamMessageCount,
    close,
  };
};

/** Polls until the condition holds, failing with `what` if it does not within the bound. */
export const waitFor = async (
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/** A counter's value from a service's /metrics (summed over its labels). */
export const metricValue = async (service: ChatService, name: string): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
};

/** The sum of a metric's samples whose labels include `labels` (0 when there are none). */
export const metricSample = async (
  service: ChatService,
  name: string,
  labels: Record<string, string>,
): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) && wanted.every((l) => line.includes(l)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
};

/** What a DomainError-carrying promise was refused with. */
export const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (e) {
    const { code, message } = e as { code?: string; message?: string };
    return { code, message };
  }
  throw new Error("expected a refusal, but the request succeeded");
};

export const people = {
  customer: (n = 1): Actor => ({ id: `customer-${n}`, name: `Customer ${n}`, role: "customer" }),
  agent: (n = 1): Actor => ({ id: `agent-${n}`, name: `Agent ${n}`, role: "agent" }),
  manager: (): Actor => ({ id: "manager-1", name: "Manager One", role: "manager" }),
  router: (): Actor => ({ id: "assignment-service", name: "Router", role: "system" }),
};
