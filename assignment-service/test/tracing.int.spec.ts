import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { SpanKind, startTracing, type Tracing } from "@support-chat/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, startWorld, waitFor, type World } from "./harness.js";

/**
 * With tracing on, the assignment service's handling of a room event continues the trace of
 * the chat command that appended it: the context travels from the append, through the event
 * log and the relay, in the JetStream message's headers.
 */
let w: World;
let tracing: Tracing;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  tracing = await startTracing("assignment-test", { env: { OTEL_ENABLED: "true" }, exporter });
  w = await startWorld();
  await w.startChat();
  const assignment = await w.startAssignment();
  await waitFor("the assignment service to be ready", () => assignment.isReady());
});
afterAll(async () => {
  await w?.close();
  await tracing?.stop();
});

describe("a consumed room event", () => {
  it("is a consumer span, child of the append that recorded it, tagged with its correlation id", async () => {
    const room = await w.as(people.customer(1)).chat("openRoom", {});
    const spans = () => exporter.getFinishedSpans();
    const append = spans().find(
      (s) => s.name === "append room events" && s.attributes["room.id"] === room.id,
    );
    expect(append).toBeDefined();
    const consumedOpening = () =>
      spans().find(
        (s) =>
          s.name === "consume room event" &&
          s.attributes["event.type"] === "RoomOpened" &&
          s.spanContext().traceId === append?.spanContext().traceId,
      );
    await waitFor("the assignment service to consume RoomOpened", () => !!consumedOpening());

    const consumed = consumedOpening();
    expect(consumed?.kind).toBe(SpanKind.CONSUMER);
    expect(consumed?.parentSpanContext?.spanId).toBe(append?.spanContext().spanId);
    expect(consumed?.attributes["correlation.id"]).toBe(append?.attributes["correlation.id"]);
    expect(consumed?.attributes["messaging.destination.name"]).toBe(w.subjects.event("RoomOpened"));
  });
});
