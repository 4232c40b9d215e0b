import type { NatsConnection } from "@nats-io/transport-node";
import type { Actor, Operation, ReplyOf, RequestOf, Subjects } from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";
import { timeRequest, type GatewayMetrics } from "../metrics/gateway-metrics.js";

/** Who is asking and which client request caused it; travels in every NATS envelope. */
export type Caller = { actor: Actor; correlationId: string };

type Operations = Record<string, Operation>;

/** A backing service as the gateway sees it: typed commands and queries over NATS. */
export type ServiceClient<C extends Operations, Q extends Operations> = {
  command<K extends keyof C & string>(
    name: K,
    payload: RequestOf<C[K]>,
    caller: Caller,
  ): Promise<ReplyOf<C[K]>>;
  query<K extends keyof Q & string>(
    name: K,
    payload: RequestOf<Q[K]>,
    caller: Caller,
  ): Promise<ReplyOf<Q[K]>>;
};

export type BusDeps = {
  nc: NatsConnection;
  subjects: Subjects;
  timeoutMs: number;
  metrics: GatewayMetrics;
};

/** Every request is sent with the caller's envelope and timed under `<metricPrefix><name>`. */
export const serviceClient = <C extends Operations, Q extends Operations>(
  { nc, timeoutMs, metrics }: BusDeps,
  spec: {
    commands: C;
    queries: Q;
    commandSubject: (name: keyof C & string) => string;
    querySubject: (name: keyof Q & string) => string;
    metricPrefix: string;
  },
): ServiceClient<C, Q> => {
  const commands = requesterFor({
    nc,
    operations: spec.commands,
    subjectOf: spec.commandSubject,
    timeoutMs,
  });
  const queries = requesterFor({
    nc,
    operations: spec.queries,
    subjectOf: spec.querySubject,
    timeoutMs,
  });
  return {
    command: (name, payload, caller) =>
      timeRequest(metrics, `${spec.metricPrefix}${name}`, () =>
        commands(name, { ...caller, payload }),
      ),
    query: (name, payload, caller) =>
      timeRequest(metrics, `${spec.metricPrefix}${name}`, () =>
        queries(name, { ...caller, payload }),
      ),
  };
};
