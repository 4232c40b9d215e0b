import { jetstream, jetstreamManager, type Consumer, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { RecordedRoomEvent, type Subjects } from "@support-chat/contracts";
import {
  describe,
  ensureDurableConsumer,
  ensureEventStream,
  type Logger,
} from "@support-chat/service-kit";

/** What handling one event came to: done (acknowledged) or to be tried again later. */
export type MailOutcome = Readonly<{ done: true }> | Readonly<{ done: false; retryMs: number }>;

export type MailConsumer = { stop: () => Promise<void> };

const ACK_WAIT_MS = 60_000;
const PULL_EXPIRES_MS = 2000;
const BATCH = 32;
const RESTART_DELAY_MS = 1000;

/**
 * A durable consumer of one event type for e-mail, apart from the push consumer: a slow SMTP
 * server delays e-mail, never a socket push. Replicas share it, so each event is handled by one
 * of them; events that cannot be handled yet go back with a delay.
 */
export const startMailConsumer = async (opts: {
  nc: NatsConnection;
  subjects: Subjects;
  durable: string;
  eventType: RecordedRoomEvent["type"];
  handle: (event: RecordedRoomEvent, attempt: number) => Promise<MailOutcome>;
  log: Logger;
}): Promise<MailConsumer> => {
  const { nc, subjects, durable, log } = opts;
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);

  const open = async (): Promise<Consumer> => {
    await ensureEventStream(nc, subjects);
    // A fresh install does not e-mail about the stream's history (new events only).
    await ensureDurableConsumer(jsm, subjects.eventStream, {
      durable,
      filterSubject: subjects.event(opts.eventType),
      ackWaitMs: ACK_WAIT_MS,
    });
    return js.consumers.get(subjects.eventStream, durable);
  };

  const handleOne = async (msg: JsMsg): Promise<void> => {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(msg.data));
    } catch {
      json = undefined;
    }
    const parsed = RecordedRoomEvent.safeParse(json);
    if (!parsed.success || parsed.data.type !== opts.eventType) {
      const problem = parsed.success ? "unexpected type" : describe(parsed.error);
      log.warn({ streamSeq: msg.seq, problem }, "not an event for e-mail; terminated");
      msg.term();
      return;
    }
    try {
      const outcome = await opts.handle(parsed.data as RecordedRoomEvent, msg.info.deliveryCount);
      if (outcome.done) msg.ack();
      else msg.nak(outcome.retryMs);
    } catch (err) {
      log.error({ err, streamSeq: msg.seq }, "e-mail handler failed");
      msg.nak(RESTART_DELAY_MS * 5);
    }
  };

  let stopping = false;
  const run = async (first: Consumer) => {
    let consumer: Consumer | undefined = first;
    while (!stopping) {
      try {
        consumer ??= await open();
        const batch = await consumer.fetch({ max_messages: BATCH, expires: PULL_EXPIRES_MS });
        // Each event is handled as it arrives; the pull ends when the batch is full or expires.
        const handling: Promise<void>[] = [];
        for await (const msg of batch) handling.push(handleOne(msg));
        await Promise.all(handling);
      } catch (err) {
        consumer = undefined;
        if (stopping || nc.isClosed()) break;
        log.warn({ err, durable }, "could not take events for e-mail; trying again");
        await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
      }
    }
  };
  const running = run(await open());
  return {
    stop: async () => {
      stopping = true;
      await running;
    },
  };
};

/** Exponential back-off for e-mail that could not be sent: 5 s doubling to 10 minutes. */
export const mailRetryMs = (attempt: number): number =>
  Math.min(5000 * 2 ** Math.max(0, attempt - 1), 600_000);
