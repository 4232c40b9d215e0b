import {
  jetstream,
  jetstreamManager,
  type Consumer,
  type ConsumerInfo,
  type JetStreamManager,
  type JsMsg,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Subjects } from "@support-chat/contracts";
import { ensureDurableConsumer, ensureEventStream, type Logger } from "@support-chat/service-kit";
import type { ConsumerPending } from "./metrics.js";
import { RoomLanes } from "./room-lanes.js";

/** How long an event may stay unacknowledged before JetStream gives it to another replica. */
export const ACK_WAIT_MS = 30_000;
/**
 * At least this many events are kept in hand (taken from the stream, not yet settled), so the
 * next ones are already here when a slot frees up and no round trip to NATS leaves rooms idle.
 */
const MIN_IN_HAND = 256;
/**
 * How long one pull waits for events. A stopping service lets its last pull run out rather
 * than cancel it, so no event is on the wire to a subscription that is gone (it would sit
 * unacknowledged until ACK_WAIT_MS); this bounds how long stopping takes.
 */
const PULL_EXPIRES_MS = 2000;
const RESTART_DELAY_MS = { first: 250, max: 5000 };

export type EventConsumer = {
  /** Stops taking events, finishes the ones being handled and hands the rest back. */
  stop: () => Promise<void>;
  pending: () => Promise<ConsumerPending>;
};

/** The durable consumer all replicas share (see ensureDurableConsumer). */
export const ensureConsumer = (
  jsm: JetStreamManager,
  subjects: Subjects,
  durable: string,
): Promise<ConsumerInfo> =>
  ensureDurableConsumer(jsm, subjects.eventStream, {
    durable,
    filterSubject: subjects.allEvents,
    ackWaitMs: ACK_WAIT_MS,
  });

/**
 * Takes events from the stream and hands them to `handle`: events of one room (`laneOf`) one at
 * a time in stream order, events of different rooms side by side, at most `concurrency` at
 * once. When NATS, the stream or the consumer goes away (a restart, someone deleting them),
 * the loop defines them again and carries on.
 */
export const startEventConsumer = async (opts: {
  nc: NatsConnection;
  subjects: Subjects;
  durable: string;
  /** The room an event belongs to; its events are handled strictly in stream order. */
  laneOf: (msg: JsMsg) => string;
  handle: (msg: JsMsg) => Promise<void>;
  release: (msg: JsMsg) => void;
  concurrency: number;
  log: Logger;
}): Promise<EventConsumer> => {
  const { nc, subjects, durable, log } = opts;
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const inHand = Math.max(MIN_IN_HAND, opts.concurrency * 4);
  let stopping = false;
  let wake = () => {};
  const lanes = new RoomLanes(opts.concurrency, () => wake());

  const open = async (): Promise<Consumer> => {
    await ensureEventStream(nc, subjects);
    await ensureConsumer(jsm, subjects, durable);
    return js.consumers.get(subjects.eventStream, durable);
  };

  const handleOne = async (msg: JsMsg): Promise<void> => {
    try {
      await opts.handle(msg);
    } catch (err) {
      // The handler settles every message itself; reaching here is a bug, so retry later.
      log.error({ err, streamSeq: msg.seq }, "event handler failed");
      msg.nak(RESTART_DELAY_MS.max);
    }
  };

  /**
   * Events left unhandled by a stopping consumer. They go back only once its last pull has run
   * out, all at once in stream order: sent back earlier, an event would come straight back into
   * that pull, round and round, and reach the next consumer behind later events of its room.
   */
  const handBack: JsMsg[] = [];

  const take = (msg: JsMsg): void => {
    const takenAt = Date.now();
    lanes.add(opts.laneOf(msg), async () => {
      if (stopping) handBack.push(msg);
      // Events that waited behind slow ones too long go back before JetStream would resend
      // them anyway, so they are not handled twice.
      else if (Date.now() - takenAt > ACK_WAIT_MS / 2) opts.release(msg);
      else await handleOne(msg);
    });
  };

  /** Waits until a handled event frees room in hand, or the consumer stops. */
  const roomFreed = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });

  const takeBatch = async (consumer: Consumer): Promise<void> => {
    // Pull again once a quarter of the hand is free, rather than once per settled event.
    const free = inHand - lanes.size;
    if (free < inHand / 4) {
      await roomFreed();
      return;
    }
    const batch = await consumer.fetch({ max_messages: free, expires: PULL_EXPIRES_MS });
    for await (const msg of batch) take(msg);
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async (first: Consumer): Promise<void> => {
    let consumer: Consumer | undefined = first;
    let failures = 0;
    while (!stopping) {
      try {
        consumer ??= await open();
        await takeBatch(consumer);
        failures = 0;
      } catch (err) {
        consumer = undefined;
        if (stopping || nc.isClosed()) break;
        failures += 1;
        log.warn({ err, failures }, "could not take events from the stream; trying again");
        await pause(Math.min(RESTART_DELAY_MS.first * 2 ** (failures - 1), RESTART_DELAY_MS.max));
      }
    }
  };

  const running = run(await open());

  return {
    stop: async () => {
      stopping = true;
      wake();
      await running;
      await lanes.drained();
      handBack.sort((a, b) => a.seq - b.seq).forEach((msg) => opts.release(msg));
    },
    pending: async () => {
      const info = await jsm.consumers.info(subjects.eventStream, durable);
      return { numPending: info.num_pending, numAckPending: info.num_ack_pending };
    },
  };
};
