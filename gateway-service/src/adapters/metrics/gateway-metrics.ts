import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { isDomainError } from "@support-chat/contracts";
import { createMetricsRegistry } from "@support-chat/service-kit";

export type GatewayMetrics = {
  registry: Registry;
  connectedSockets: Gauge<"role">;
  socketEvents: Counter<"event" | "outcome">;
  restRequests: Counter<"route" | "outcome">;
  natsRequestSeconds: Histogram<"operation" | "outcome">;
};

/** Each gateway instance has its own registry, so several can run in one test process. */
export const createGatewayMetrics = (): GatewayMetrics => {
  const registry = createMetricsRegistry("gateway-service");
  return {
    registry,
    connectedSockets: new Gauge({
      name: "gateway_connected_sockets",
      help: "Sockets connected to the /chat namespace, by role",
      labelNames: ["role"],
      registers: [registry],
    }),
    socketEvents: new Counter({
      name: "gateway_socket_events_total",
      help: "Client socket events handled, by event and outcome (ok or error code)",
      labelNames: ["event", "outcome"],
      registers: [registry],
    }),
    restRequests: new Counter({
      name: "gateway_rest_requests_total",
      help: "REST requests handled, by route and outcome (ok or error code)",
      labelNames: ["route", "outcome"],
      registers: [registry],
    }),
    natsRequestSeconds: new Histogram({
      name: "gateway_nats_request_duration_seconds",
      help: "Time until the chat service answered a command or query",
      labelNames: ["operation", "outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
};

/** The label for how something ended: "ok", or the error code the client saw. */
export const outcomeOf = (e?: unknown): string =>
  e === undefined ? "ok" : isDomainError(e) ? e.code : "INTERNAL";

/** Times one request to another service, labelled with how it ended. */
export const timeRequest = async <T>(
  metrics: GatewayMetrics,
  operation: string,
  send: () => Promise<T>,
): Promise<T> => {
  const end = metrics.natsRequestSeconds.startTimer({ operation });
  try {
    const reply = await send();
    end({ outcome: outcomeOf() });
    return reply;
  } catch (e) {
    end({ outcome: outcomeOf(e) });
    throw e;
  }
};
