import { jetstreamManager, RetentionPolicy, StorageType } from "@nats-io/jetstream";
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
