import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { SpanKind, startTracing, type Tracing } from "@support-chat/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, startHarness, waitFor, type Harness } from "./harness.js";

/**
 * With tracing on, one command is one trace from the caller to the append, and the event it
 * appended carries that trace to JetStream's consumers; each relay batch is a span of its own,
 * linked to the appends it published.
 */
let h: Harness;
let tracing: Tracing;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  tracing = await startTracing("chat-service-test", { env: { OTEL_ENABLED: "true" }, exporter });
  h = await startHarness();
  await h.start();
});
afterAll(async () => {
  await h?.close();
  await tracing?.stop();
});

const spans = () => exporter.getFinishedSpans();
const named = (name: string, correlationId: string) =>
  spans().filter(
    (s) => s.name === name && [s.attributes["correlation.id"]].flat().includes(correlationId),
  );
const ids = (s: ReadableSpan | undefined) => s?.spanContext();

describe("a traced command", () => {
  it("is one trace: client, server, the append transaction, then the event's headers and the relay batch", async () => {
    const customer = people.customer(1);
    const room = await h.as(customer).command("openRoom", {});
    const correlationId = randomUUID();
    const posted = await h.commandWith(customer, correlationId, "postMessage", {
      roomId: room.id,
      clientMessageId: "c-1",
      message: "Is anyone there?",
    });

    await waitFor("the relay batch span", () => named("relay publish", correlationId).length > 0);
    const [client] = named("request postMessage", correlationId);
    const [server] = named("handle postMessage", correlationId);
    const [append] = named("append room events", correlationId);
    const [batch] = named("relay publish", correlationId);

    expect(client?.kind).toBe(SpanKind.CLIENT);
    expect(server?.kind).toBe(SpanKind.SERVER);
    expect(server?.parentSpanContext?.spanId).toBe(ids(client)?.spanId);
    expect(append?.parentSpanContext?.spanId).toBe(ids(server)?.spanId);
    expect(append?.attributes).toMatchObject({ "room.id": room.id, "append.attempt": 1 });
    expect(new Set([client, server, append].map((s) => ids(s)?.traceId)).size).toBe(1);

    // The batch is its own trace, linked to the append of each event it published.
    expect(batch?.kind).toBe(SpanKind.PRODUCER);
    expect(ids(batch)?.traceId).not.toBe(ids(append)?.traceId);
    expect(batch?.links.map((l) => l.context.spanId)).toContain(ids(append)?.spanId);

    // The event on JetStream names the append in its traceparent header.
    const consumer = await jetstream(h.nc).consumers.get(h.subjects.eventStream);
    const messages = await consumer.fetch({ max_messages: 10, expires: 5000 });
    let traceparent: string | undefined;
    for await (const m of messages) {
      const event = m.json<{ type: string; data: { messageId?: string } }>();
      if (event.type === "MessagePosted" && event.data.messageId === posted.message.id) {
        traceparent = m.headers?.get("traceparent");
        expect(m.headers?.get("correlation-id")).toBe(correlationId);
        expect(m.string()).not.toContain("traceparent");
      }
      if (m.info.pending === 0) break;
    }
    expect(traceparent).toBe(`00-${ids(append)?.traceId}-${ids(append)?.spanId}-01`);

    // The trace context stays in the log's metadata, out of the published event.
    const [row] = await h.sql`
      select metadata from events where data->>'messageId' = ${posted.message.id}`;
    expect(row?.metadata.trace).toEqual({ traceparent });
  });
});
