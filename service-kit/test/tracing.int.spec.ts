import { randomUUID } from "node:crypto";
import { connect, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { DomainError, type Actor } from "@support-chat/contracts";
import { natsUrl, uniqueName } from "@support-chat/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createLogger,
  requesterFor,
  serveOperations,
  SpanKind,
  startTracing,
  tracingEnabled,
  type OperationOutcome,
  type Tracing,
} from "../src/index.js";

/**
 * A request from `requesterFor` to `serveOperations` over a real NATS server, with the SDK
 * exporting into memory: on, a client and a server span of one trace; off, nothing at all.
 */
const operations = {
  greet: { request: z.object({ name: z.string() }), reply: z.object({ greeting: z.string() }) },
};
const namespace = uniqueName("t");
const subjectOf = (name: string) => `${namespace}.test.${name}`;
const actor: Actor = { id: "customer-1", name: "Carla", role: "customer" };
const log = createLogger("tracing-test", "silent");

let client: NatsConnection;
let server: NatsConnection;
let subscriptions: Subscription[];
const observed: OperationOutcome[] = [];
/** The traceparent header of each request as the serving side received it. */
const received: Array<string | null> = [];

beforeAll(async () => {
  // Two connections: each request really crosses the NATS server.
  [client, server] = await Promise.all([
    connect({ servers: natsUrl() }),
    connect({ servers: natsUrl() }),
  ]);
  subscriptions = serveOperations({
    nc: server,
    operations,
    subjectOf,
    queue: `${namespace}-greeters`,
    log,
    observe: (o) => observed.push(o),
    handlers: {
      greet: async ({ payload }) => {
        if (payload.name === "") throw new DomainError("VALIDATION_FAILED", "name is empty");
        return { greeting: `hello ${payload.name}` };
      },
    },
  });
  subscriptions.push(
    server.subscribe(subjectOf("greet"), {
      callback: (_, msg) => {
        received.push(msg.headers?.get("traceparent") || null);
      },
    }),
  );
  await server.flush();
});
afterAll(async () => {
  for (const s of subscriptions ?? []) s.unsubscribe();
  await Promise.all([client?.close(), server?.close()]);
});

let tracing: Tracing | undefined;
afterEach(async () => {
  await tracing?.stop();
  observed.length = 0;
  received.length = 0;
});

const greet = (name: string, correlationId = randomUUID()) =>
  requesterFor({ nc: client, operations, subjectOf, timeoutMs: 5000 })("greet", {
    actor,
    correlationId,
    payload: { name },
  });

/** The serving side ends its span just after replying: wait for it, within a bound. */
const answered = async (count: number) => {
  const deadline = Date.now() + 5000;
  while (observed.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} answered requests`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const start = async (env: NodeJS.ProcessEnv) => {
  const exporter = new InMemorySpanExporter();
  tracing = await startTracing("tracing-test", { env, exporter, log });
  return exporter;
};

describe("with OTEL_ENABLED=true", () => {
  it("a request yields a client and a server span of one trace, tagged with the correlation id", async () => {
    const exporter = await start({ OTEL_ENABLED: "true" });
    expect(tracing?.enabled).toBe(true);

    const correlationId = randomUUID();
    expect(await greet("Ann", correlationId)).toEqual({ greeting: "hello Ann" });
    await answered(1);

    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    const client = spans.find((s) => s.kind === SpanKind.CLIENT);
    const server = spans.find((s) => s.kind === SpanKind.SERVER);
    expect(client?.name).toBe("request greet");
    expect(server?.name).toBe("handle greet");
    expect(server?.spanContext().traceId).toBe(client?.spanContext().traceId);
    expect(server?.parentSpanContext?.spanId).toBe(client?.spanContext().spanId);
    for (const span of [client, server]) {
      expect(span?.attributes).toMatchObject({
        "correlation.id": correlationId,
        "messaging.system": "nats",
        "rpc.method": "greet",
      });
      expect(span?.resource.attributes["service.name"]).toBe("tracing-test");
    }
    // The W3C traceparent travelled in the NATS headers and names the client span.
    const { traceId, spanId } = client!.spanContext();
    expect(received).toEqual([`00-${traceId}-${spanId}-01`]);
  });

  it("a refusal carries its code on both spans without being called a failure", async () => {
    const exporter = await start({ OTEL_ENABLED: "true" });

    await expect(greet("")).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await answered(1);

    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.attributes["error.type"])).toEqual([
      "VALIDATION_FAILED",
      "VALIDATION_FAILED",
    ]);
    expect(spans.map((s) => s.status.code)).toEqual([0, 0]);
    expect(observed).toEqual([
      { operation: "greet", outcome: "VALIDATION_FAILED", seconds: expect.any(Number) },
    ]);
  });
});

describe("with tracing off", () => {
  it("records nothing and sends no trace header when OTEL_ENABLED is not set", async () => {
    const exporter = await start({});
    expect(tracing?.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);

    expect(await greet("Bea")).toEqual({ greeting: "hello Bea" });
    await answered(1);

    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(received).toEqual([null]);
    // Metrics do not depend on tracing: the observer still hears of the request.
    expect(observed.map((o) => o.outcome)).toEqual(["ok"]);
  });

  it("stays off with OTEL_SDK_DISABLED=true, even when enabled", async () => {
    const exporter = await start({ OTEL_ENABLED: "true", OTEL_SDK_DISABLED: "true" });
    expect(tracing?.enabled).toBe(false);

    await greet("Cy");
    await answered(1);

    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(received).toEqual([null]);
  });

  it("refuses a switch it cannot read, naming the variable", async () => {
    await expect(start({ OTEL_ENABLED: "maybe" })).rejects.toThrow(/OTEL_ENABLED="maybe"/);
  });
});
