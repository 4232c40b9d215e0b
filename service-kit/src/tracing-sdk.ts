import * as api from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import type { Logger } from "pino";

/** The API and SDK, loaded by `startTracing` only when tracing is on. */
export type Sdk = { api: typeof api; tracerName: string; stop: () => Promise<void> };

/**
 * Registers a tracer provider. The standard variables apply: OTEL_SERVICE_NAME and
 * OTEL_RESOURCE_ATTRIBUTES (resource), OTEL_TRACES_SAMPLER(_ARG), OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, _HEADERS, _TIMEOUT, _COMPRESSION (exporter), OTEL_BSP_*
 * (batching) and the span limits.
 */
export const startSdk = (service: string, log?: Logger, exporter?: SpanExporter): Sdk => {
  if (log) api.diag.setLogger(diagToLog(log), api.DiagLogLevel.WARN);
  const provider = new NodeTracerProvider({
    resource: defaultResource()
      .merge(resourceFromAttributes({ "service.name": service }))
      .merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [
      // A test's exporter sees each span as it ends; the collector gets them in batches.
      exporter
        ? new SimpleSpanProcessor(exporter)
        : new BatchSpanProcessor(new OTLPTraceExporter()),
    ],
  });
  // W3C trace context + baggage propagation, AsyncLocalStorage for the active span.
  provider.register();
  return {
    api,
    tracerName: "support-chat",
    stop: async () => {
      await provider.shutdown();
      api.trace.disable();
      api.context.disable();
      api.propagation.disable();
      api.diag.disable();
    },
  };
};

/** The SDK's own warnings (an unreachable collector, a bad variable) as JSON log lines. */
const diagToLog = (log: Logger): api.DiagLogger => {
  const child = log.child({ component: "opentelemetry" });
  const line =
    (level: "error" | "warn" | "info" | "debug" | "trace") =>
    (message: string, ...args: unknown[]) =>
      child[level](args.length > 0 ? { details: args.map(String) } : {}, message);
  return {
    error: line("error"),
    warn: line("warn"),
    info: line("info"),
    debug: line("debug"),
    verbose: line("trace"),
  };
};
