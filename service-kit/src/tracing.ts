import type { MsgHdrs } from "@nats-io/transport-node";
import type {
  Attributes,
  Context,
  Link,
  Span,
  SpanKind as OtelSpanKind,
  TextMapGetter,
} from "@opentelemetry/api";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import { DomainError } from "@support-chat/contracts";
import type { Logger } from "pino";
import { z } from "zod";
import { booleanFromEnv, loadConfig } from "./config.js";
import type { Sdk } from "./tracing-sdk.js";

export type { Span };

/**
 * Tracing is off unless `OTEL_ENABLED=true`: an OTLP endpoint in the environment alone does not
 * turn it on, so a collector address can sit in shared configuration without every service
 * exporting to it. `OTEL_SDK_DISABLED=true` (the standard kill switch) wins over both.
 */
export const TracingEnv = z.object({
  OTEL_ENABLED: booleanFromEnv.default(false),
  OTEL_SDK_DISABLED: booleanFromEnv.default(false),
});

export type TracingOptions = {
  /** Where the switch is read from (tests); the SDK reads its own `OTEL_*` from process.env. */
  env?: NodeJS.ProcessEnv;
  /** Receives every finished span at once instead of the OTLP exporter (tests). */
  exporter?: SpanExporter;
  /** Where the SDK's own warnings go (an unreachable collector, for one). */
  log?: Logger;
};

export type Tracing = { enabled: boolean; stop: () => Promise<void> };

/** Trace context as W3C headers (`traceparent`, `tracestate`), kept where headers cannot go. */
export type TraceCarrier = Readonly<Record<string, string>>;

/**
 * The kinds of span the OpenTelemetry API knows, by their fixed values, so callers need not
 * load the API (it is loaded with the SDK, only when tracing is on).
 */
export const SpanKind = {
  INTERNAL: 0 as OtelSpanKind.INTERNAL,
  SERVER: 1 as OtelSpanKind.SERVER,
  CLIENT: 2 as OtelSpanKind.CLIENT,
  PRODUCER: 3 as OtelSpanKind.PRODUCER,
  CONSUMER: 4 as OtelSpanKind.CONSUMER,
} as const;
export type SpanKind = OtelSpanKind;

let sdk: Sdk | undefined;

/**
 * Starts the OpenTelemetry SDK when `OTEL_ENABLED=true`, else does nothing: neither the API nor
 * the SDK is even loaded, and every helper below runs the work directly without a span. Call
 * it first in a service's start, before anything that could make a request.
 */
export const startTracing = async (
  service: string,
  options: TracingOptions = {},
): Promise<Tracing> => {
  const config = loadConfig(TracingEnv, options.env ?? process.env);
  if (!config.OTEL_ENABLED || config.OTEL_SDK_DISABLED) {
    return { enabled: false, stop: () => Promise.resolve() };
  }
  await stopTracing();
  const { startSdk } = await import("./tracing-sdk.js");
  sdk = startSdk(service, options.log, options.exporter);
  return { enabled: true, stop: stopTracing };
};

/** Sends the spans still buffered and unregisters the SDK; shutdown calls it last. */
export const stopTracing = async (): Promise<void> => {
  const current = sdk;
  sdk = undefined;
  await current?.stop();
};

/** False means no span is created anywhere: the hot path pays one check. */
export const tracingEnabled = (): boolean => sdk !== undefined;

export type SpanOptions = {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The context to continue (one extracted from a message); the active one otherwise. */
  parent?: Context;
  links?: Link[];
};

/** Codes that mean the service failed, not that the caller asked for something refused. */
const SERVICE_FAULTS = new Set(["INTERNAL", "UNAVAILABLE"]);
const STATUS_ERROR = 2; // SpanStatusCode.ERROR

/**
 * Records how the work ended: refusals (validation, not found...) carry their code as
 * `error.type` but are not span errors; only faults of the service are.
 */
export const markOutcome = (span: Span | undefined, code: string | undefined): void => {
  if (!span || code === undefined) return;
  span.setAttribute("error.type", code);
  if (SERVICE_FAULTS.has(code)) span.setStatus({ code: STATUS_ERROR, message: code });
};

const codeOf = (e: unknown): string => (e instanceof DomainError ? e.code : "INTERNAL");

/**
 * Runs `work` inside a new active span that ends when the work does; a throw is recorded on
 * the span and rethrown. With tracing off it only calls `work(undefined)`.
 */
export const inSpan = <T>(
  name: string,
  options: SpanOptions,
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> => {
  if (!sdk) return work(undefined);
  const { api } = sdk;
  const { parent, ...spanOptions } = options;
  return api.trace
    .getTracer(sdk.tracerName)
    .startActiveSpan(name, spanOptions, parent ?? api.context.active(), async (span) => {
      try {
        return await work(span);
      } catch (e) {
        if (!(e instanceof DomainError)) span.recordException(e as Error);
        markOutcome(span, codeOf(e));
        throw e;
      } finally {
        span.end();
      }
    });
};

const headerGetter: TextMapGetter<MsgHdrs> = {
  keys: (carrier) => carrier.keys(),
  get: (carrier, key) => (carrier.has(key) ? carrier.get(key) : undefined),
};

/** Writes the active (or given) trace context into NATS headers; nothing when tracing is off. */
export const injectTraceContext = (headers: MsgHdrs, from?: Context): void => {
  if (!sdk) return;
  const { api } = sdk;
  api.propagation.inject(from ?? api.context.active(), headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
};

/**
 * The trace context a message carries in its headers (a fresh root when it has none), to pass
 * as `parent`; undefined when tracing is off.
 */
export const extractTraceContext = (headers: MsgHdrs | undefined): Context | undefined => {
  if (!sdk) return undefined;
  const { api } = sdk;
  return headers
    ? api.propagation.extract(api.ROOT_CONTEXT, headers, headerGetter)
    : api.ROOT_CONTEXT;
};

/** The active trace context as headers to store with a record, or undefined when off. */
export const captureTraceContext = (): TraceCarrier | undefined => {
  if (!sdk) return undefined;
  const carrier: Record<string, string> = {};
  sdk.api.propagation.inject(sdk.api.context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
};

/** A link to the span a stored carrier names (a batch links to each record's origin). */
export const linkTo = (carrier: TraceCarrier, attributes?: Attributes): Link | undefined => {
  if (!sdk) return undefined;
  const { api } = sdk;
  const spanContext = api.trace.getSpanContext(api.propagation.extract(api.ROOT_CONTEXT, carrier));
  return spanContext ? { context: spanContext, ...(attributes ? { attributes } : {}) } : undefined;
};

/** The trace id of the active span, to log beside the correlation id. */
export const activeTraceId = (): string | undefined =>
  sdk?.api.trace.getActiveSpan()?.spanContext().traceId;
