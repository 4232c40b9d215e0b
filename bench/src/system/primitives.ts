import { performance } from "node:perf_hooks";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { Redis } from "ioredis";
import postgres from "postgres";
import { natsUrl, redisUrl, uniqueName } from "@support-chat/test-support";
import { summarize, type LatencySummary } from "../stats.js";

/** One round trip to each piece of infrastructure, one at a time: the unit every hop pays. */
export type Primitives = Record<string, LatencySummary>;

const time = async (seconds: number, op: () => Promise<unknown>): Promise<LatencySummary> => {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const t = performance.now();
    await op();
    latencies.push(performance.now() - t);
  }
  return summarize(latencies);
};

/**
 * What a single round trip costs on this machine, measured with the same client libraries
 * the services use. A hop that makes n round trips in sequence cannot be faster than n times
 * these, whatever its own code does.
 */
export const measurePrimitives = async (
  databaseUrl: string,
  seconds: number,
): Promise<Primitives> => {
  const results: Primitives = {};
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    results["Postgres: SELECT 1"] = await time(seconds, () => sql`select 1`);
    await sql`create table if not exists bench_primitive (id bigserial primary key, note text)`;
    results["Postgres: INSERT + durable COMMIT"] = await time(
      seconds,
      () => sql`insert into bench_primitive (note) values ('x')`,
    );
  } finally {
    await sql.end({ timeout: 5 });
  }

  const nc = await connect({ servers: natsUrl() });
  const responder = await connect({ servers: natsUrl() });
  const subject = uniqueName("bench-echo");
  const stream = uniqueName("BENCH_PRIMITIVES").toUpperCase();
  try {
    responder.subscribe(subject, {
      callback: (_err, msg) => {
        msg.respond(msg.data);
      },
    });
    await responder.flush();
    const payload = new TextEncoder().encode(JSON.stringify({ probe: "x".repeat(200) }));
    results["NATS: request/reply"] = await time(seconds, () => nc.request(subject, payload));
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${subject}.stored`] });
    const js = jetstream(nc);
    results["JetStream: publish + ack"] = await time(seconds, () =>
      js.publish(`${subject}.stored`, payload),
    );
    await jsm.streams.delete(stream);
  } finally {
    await responder.close();
    await nc.close();
  }

  const redis = new Redis(redisUrl());
  try {
    const channel = uniqueName("bench-publish");
    results["Redis: PUBLISH"] = await time(seconds, () => redis.publish(channel, "x".repeat(200)));
  } finally {
    redis.disconnect();
  }
  return results;
};
