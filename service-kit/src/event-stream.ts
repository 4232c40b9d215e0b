import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerInfo,
  type JetStreamManager,
} from "@nats-io/jetstream";
import { nanos, type NatsConnection } from "@nats-io/transport-node";
import type { Subjects } from "@support-chat/contracts";

/** How long JetStream remembers a message id to drop a re-publish of the same event. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/**
 * Creates the domain event stream, or brings an existing one to this definition. Publisher and
 * consumers both call it at start, so whichever starts first, the stream is the same one.
 */
export const ensureEventStream = async (
  nc: NatsConnection,
  subjects: Subjects,
  maxAgeMs = 7 * 24 * 3600_000,
): Promise<void> => {
  const jsm = await jetstreamManager(nc);
  const config = {
    name: subjects.eventStream,
    subjects: [subjects.allEvents],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(maxAgeMs),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await jsm.streams.add(config);
  }
};

const isNotFound = (e: unknown): boolean => e instanceof Error && /not found/i.test(e.message);

const isMissingConsumer = (e: unknown): boolean =>
  e instanceof JetStreamApiError &&
  (e.code === JetStreamApiCodes.ConsumerNotFound || e.code === JetStreamApiCodes.StreamNotFound);

/**
 * A durable pull consumer of the event stream, created on first use to start at new events
 * only: a fresh install does not replay the stream's history. An existing one is kept as it
 * is, so its position survives restarts; any error but "not found" is the caller's.
 */
export const ensureDurableConsumer = async (
  jsm: JetStreamManager,
  stream: string,
  opts: Readonly<{
    durable: string;
    filterSubject: string;
    ackWaitMs: number;
    /** Removed by the server after this long without a client (per-replica consumers). */
    inactiveThresholdMs?: number;
  }>,
): Promise<ConsumerInfo> => {
  try {
    return await jsm.consumers.info(stream, opts.durable);
  } catch (e) {
    if (!isMissingConsumer(e)) throw e;
  }
  return jsm.consumers.add(stream, {
    durable_name: opts.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(opts.ackWaitMs),
    deliver_policy: DeliverPolicy.New,
    filter_subject: opts.filterSubject,
    ...(opts.inactiveThresholdMs === undefined
      ? {}
      : { inactive_threshold: nanos(opts.inactiveThresholdMs) }),
  });
};
