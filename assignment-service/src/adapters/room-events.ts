import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  DomainError,
  isCannedEventType,
  RecordedRoomEvent,
  type Subjects,
} from "@support-chat/contracts";
import {
  ensureDurableConsumer,
  ensureEventStream,
  extractTraceContext,
  inSpan,
  markOutcome,
  SpanKind,
  tracingEnabled,
  type Logger,
  type Span,
} from "@support-chat/service-kit";
import { onRoomEvent } from "../domain/state.js";
import type { ChatClient } from "./chat-client.js";
import type { LiveState } from "./live-state.js";
import { readRoom } from "./room-reader.js";
import type { AgentStore } from "./store/agent-store.js";
import { decodeWith } from "./wire.js";

/** The events that move rooms in or out of the queue or change an agent's load. */
const ROUTING_EVENTS = new Set<RecordedRoomEvent["type"]>([
  "RoomOpened",
  "AgentAssigned",
  "RoomRequeued",
  "RoomClosed",
]);

/** A consumer nobody has read for this long is removed by the server (replicas come and go). */
const ABANDONED_AFTER_MS = 60 * 60_000;
const RETRY_DELAY_MS = 1000;

/**
 * Every replica reads every event through a durable consumer of its own (named after the
 * replica): a consumer shared by the replicas would hand each event to only one of them, and
 * a standby must stay as warm as the leader. Acks are explicit: an event is acked only once
 * what it means is recorded, so a failure gets it redelivered rather than lost.
 */
export const prepareRoomEvents = async (opts: {
  nc: NatsConnection;
  subjects: Subjects;
  replicaId: string;
  store: AgentStore;
  chat: ChatClient;
  live: LiveState;
  log: Logger;
}) => {
  const { nc, subjects, store, chat, live, log } = opts;
  const jsm = await jetstreamManager(nc);
  await jsm.streams.info(subjects.eventStream).catch(() => ensureEventStream(nc, subjects));
  const durable = `${subjects.queueGroup("assignment")}-${opts.replicaId}`;
  // Created before the caller reads the rooms, so nothing that happens after that read is missed.
  const info = await ensureDurableConsumer(jsm, subjects.eventStream, {
    durable,
    filterSubject: subjects.allEvents,
    ackWaitMs: 30_000,
    inactiveThresholdMs: ABANDONED_AFTER_MS,
  });
  let caughtUp = info.num_pending === 0;
  let messages: ConsumerMessages | undefined;
  let loop: Promise<void> | undefined;

  const record = async (event: RecordedRoomEvent): Promise<void> => {
    const at = new Date(event.metadata.occurredAt);
    // Persisted first, so a restart rebuilds the same queue order and fairness.
    if (event.type === "RoomRequeued") await store.markRequeued(event.data.roomId, at);
    if (event.type === "RoomClosed") await store.forgetRoom(event.data.roomId);
    if (event.type === "AgentAssigned") await store.noteAssignment(event.data.agentId, at);
    let outcome: string | undefined;
    live.update((s, now) => {
      const applied = onRoomEvent(s, event, now, live.rules);
      outcome = applied.outcome;
      return applied.state;
    });
    if (outcome === "unknown-room") await readRoom(event.data.roomId, { chat, store, live });
  };

  const apply = async (m: JsMsg, span: Span | undefined): Promise<void> => {
    // Canned responses share the stream; they never move a room or an agent's load.
    if (isCannedEventType(m.subject.slice(m.subject.lastIndexOf(".") + 1))) {
      m.ack();
      if (m.info.pending === 0) caughtUp = true;
      return;
    }
    const decoded = decodeWith(RecordedRoomEvent, m.data);
    if (!decoded.ok) {
      log.warn({ subject: m.subject, problem: decoded.problem }, "dropped a malformed room event");
      markOutcome(span, "VALIDATION_FAILED");
      m.term("malformed");
      return;
    }
    const event = decoded.value;
    span?.setAttributes({
      "correlation.id": event.metadata.correlationId,
      "event.type": event.type,
      "event.id": event.metadata.eventId,
    });
    try {
      if (ROUTING_EVENTS.has(event.type)) await record(event);
      m.ack();
    } catch (err) {
      markOutcome(span, err instanceof DomainError ? err.code : "INTERNAL");
      log.warn({ err, eventId: event.metadata.eventId }, "room event not applied; retrying");
      m.nak(RETRY_DELAY_MS);
    }
    if (m.info.pending === 0) caughtUp = true;
  };

  /** With tracing on, each event is a consumer span continuing the trace that appended it. */
  const handle = (m: JsMsg): Promise<void> =>
    tracingEnabled()
      ? inSpan(
          "consume room event",
          {
            kind: SpanKind.CONSUMER,
            parent: extractTraceContext(m.headers),
            attributes: {
              "messaging.system": "nats",
              "messaging.destination.name": m.subject,
              "messaging.consumer.group.name": durable,
            },
          },
          (span) => apply(m, span),
        )
      : apply(m, undefined);

  return {
    durable,
    /** True once every event published before we started has been applied. */
    isCaughtUp: () => caughtUp,
    /** Events in the stream not yet delivered to this replica's consumer (asks NATS). */
    pending: async (): Promise<number> =>
      (await jsm.consumers.info(subjects.eventStream, durable)).num_pending,
    /** Starts reading; call after the rooms have been read from the chat service. */
    start: async () => {
      const consumer = await jetstream(nc).consumers.get(subjects.eventStream, durable);
      messages = await consumer.consume({ max_messages: 256 });
      const iterator = messages;
      loop = (async () => {
        // One at a time: a room's events must be applied in the order they happened.
        for await (const m of iterator) await handle(m);
      })().catch((err: unknown) => log.error({ err }, "room event consumer stopped"));
    },
    stop: async () => {
      await messages?.close();
      await loop;
    },
  };
};

export type RoomEvents = Awaited<ReturnType<typeof prepareRoomEvents>>;
