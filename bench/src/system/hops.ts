import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { RecordedRoomEvent, subjectsFor } from "@support-chat/contracts";
import { natsUrl } from "@support-chat/test-support";
import type { HopSample } from "../load/protocol.js";
import { summarize, type LatencySummary } from "../stats.js";

/**
 * When the chat service took a sampled message (its handler stamps `occurredAt` as it starts,
 * before the room's queue and transaction), and when JetStream stored the relay's publish.
 */
type Stamps = { takenAt: number; storedAt: number };

export type HopBreakdown = {
  offeredRate: number;
  samples: number;
  /** Socket send → the chat service's handler starts (gateway, rate limit, NATS request). */
  sendToChatService: LatencySummary;
  /** Handler start → the sender's ack (room queue and lock, transaction, commit, replies). */
  chatServiceToAck: LatencySummary;
  /** Handler start → stored in JetStream (room queue, transaction, commit, relay, publish). */
  chatServiceToStream: LatencySummary;
  /** Stored → the other side's socket (consumer, room views query, Redis, adapter, socket). */
  streamToReceived: LatencySummary;
  endToEnd: LatencySummary;
};

const decoder = new TextDecoder();

/**
 * Reads the run's MessagePosted events back from JetStream (after the load, so reading costs
 * the measurement nothing) and finds the sampled ones by their clientMessageId.
 */
const stampsOf = async (
  namespace: string,
  wanted: ReadonlySet<string>,
): Promise<Map<string, Stamps>> => {
  const subjects = subjectsFor(namespace);
  const nc = await connect({ servers: natsUrl() });
  const found = new Map<string, Stamps>();
  try {
    const js = jetstream(nc);
    const consumer = await js.consumers.get(subjects.eventStream, {
      filter_subjects: subjects.event("MessagePosted"),
      deliver_policy: DeliverPolicy.All,
    });
    const info = await consumer.info(true);
    if (info.num_pending === 0) return found;
    const messages = await consumer.consume({ max_messages: 1000 });
    for await (const m of messages) {
      const raw = JSON.parse(decoder.decode(m.data)) as { data?: { clientMessageId?: unknown } };
      const id = raw.data?.clientMessageId;
      if (typeof id === "string" && wanted.has(id)) {
        const event = RecordedRoomEvent.parse(raw);
        found.set(id, {
          takenAt: Date.parse(event.metadata.occurredAt),
          storedAt: Number(m.info.timestampNanos) / 1e6,
        });
      }
      if (m.info.pending === 0) break;
    }
    await messages.close();
  } finally {
    await nc.close();
  }
  return found;
};

/** Per offered rate: where the time of a message goes, hop by hop (sampled messages). */
export const hopBreakdown = async (
  namespace: string,
  samples: ReadonlyArray<HopSample & { offeredRate: number }>,
): Promise<HopBreakdown[]> => {
  const stamps = await stampsOf(namespace, new Set(samples.map((s) => s.clientMessageId)));
  const rates = [...new Set(samples.map((s) => s.offeredRate))];
  return rates.map((offeredRate) => {
    const rows = samples
      .filter((s) => s.offeredRate === offeredRate && s.receivedAt !== null && s.ackedAt !== null)
      .flatMap((s) => {
        const t = stamps.get(s.clientMessageId);
        return t ? [{ ...s, ...t, receivedAt: s.receivedAt!, ackedAt: s.ackedAt! }] : [];
      });
    return {
      offeredRate,
      samples: rows.length,
      sendToChatService: summarize(rows.map((r) => r.takenAt - r.sentAt)),
      chatServiceToAck: summarize(rows.map((r) => r.ackedAt - r.takenAt)),
      chatServiceToStream: summarize(rows.map((r) => r.storedAt - r.takenAt)),
      streamToReceived: summarize(rows.map((r) => r.receivedAt - r.storedAt)),
      endToEnd: summarize(rows.map((r) => r.receivedAt - r.sentAt)),
    };
  });
};
