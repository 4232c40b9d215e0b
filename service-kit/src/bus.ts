import {
  headers,
  NoRespondersError,
  TimeoutError,
  type Msg,
  type NatsConnection,
  type Subscription,
} from "@nats-io/transport-node";
import {
  DomainError,
  fail,
  ok,
  replyOf,
  requestEnvelope,
  type Operation,
  type ReplyOf,
  type RequestEnvelope,
  type RequestOf,
} from "@support-chat/contracts";
import type { Logger } from "pino";
import { isConnectionFailure } from "./connection-failure.js";
import {
  activeTraceId,
  extractTraceContext,
  injectTraceContext,
  inSpan,
  markOutcome,
  SpanKind,
  tracingEnabled,
  type Span,
} from "./tracing.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const encode = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

const parseJson = (data: Uint8Array): unknown => {
  try {
    return JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
};

export type Handler<O extends Operation> = (
  request: RequestEnvelope<RequestOf<O>>,
  log: Logger,
) => Promise<ReplyOf<O>>;

export type Handlers<M extends Record<string, Operation>> = { [K in keyof M]: Handler<M[K]> };

/** How one request ended: `ok` or the error code it was answered with. */
export type OperationOutcome = Readonly<{ operation: string; outcome: string; seconds: number }>;

/** Told about every answered request, from its arrival to its reply (metrics). */
export type OperationObserver = (outcome: OperationOutcome) => void;

/** Span attributes of a NATS request, the same on the calling and the serving side. */
const requestAttributes = (subject: string, operation: string) => ({
  "messaging.system": "nats",
  "messaging.destination.name": subject,
  "rpc.method": operation,
});

/**
 * Serves a group of request/reply operations in a queue group, so replicas share the load.
 * Each request is validated against its contract before the handler sees it; every answer is
 * `{status: "OK", data}` or `{status: "ERROR", error: {code, message}}`, never a silent drop.
 * With tracing on, each request is a server span continuing the caller's trace.
 */
export const serveOperations = <M extends Record<string, Operation>>(opts: {
  nc: NatsConnection;
  operations: M;
  subjectOf: (name: keyof M & string) => string;
  queue: string;
  handlers: Handlers<M>;
  log: Logger;
  observe?: OperationObserver;
}): Subscription[] =>
  Object.keys(opts.operations).map((name) => {
    const operation = opts.operations[name]!;
    const served: Served = {
      name,
      envelope: requestEnvelope(operation.request),
      handler: opts.handlers[name as keyof M] as Handler<Operation>,
      log: opts.log,
      observe: opts.observe,
    };
    return opts.nc.subscribe(opts.subjectOf(name), {
      queue: opts.queue,
      callback: (err, msg) => {
        if (err) return opts.log.error({ err, operation: name }, "subscription failed");
        answer(msg, served).catch((e: unknown) =>
          opts.log.error({ err: e, operation: name }, "could not answer a request"),
        );
      },
    });
  });

type Served = {
  name: string;
  envelope: ReturnType<typeof requestEnvelope>;
  handler: Handler<Operation>;
  log: Logger;
  observe: OperationObserver | undefined;
};

type Answer = { body: unknown; code?: string };

const answer = async (msg: Msg, served: Served): Promise<void> => {
  const started = performance.now();
  const { name } = served;
  const code = !tracingEnabled()
    ? await respond(msg, served, undefined)
    : await inSpan(
        `handle ${name}`,
        {
          kind: SpanKind.SERVER,
          parent: extractTraceContext(msg.headers),
          attributes: requestAttributes(msg.subject, name),
        },
        (span) => respond(msg, served, span),
      );
  served.observe?.({
    operation: name,
    outcome: code ?? "ok",
    seconds: (performance.now() - started) / 1000,
  });
};

/** Validates, handles and replies; returns the error code of the reply, if it is one. */
const respond = async (
  msg: Msg,
  served: Served,
  span: Span | undefined,
): Promise<string | undefined> => {
  const parsed = served.envelope.safeParse(parseJson(msg.data));
  const reply: Answer = parsed.success
    ? await handle(parsed.data as RequestEnvelope<unknown>, served)
    : {
        body: fail({ code: "VALIDATION_FAILED", message: describe(parsed.error) }),
        code: "VALIDATION_FAILED",
      };
  if (parsed.success) span?.setAttribute("correlation.id", parsed.data.correlationId);
  markOutcome(span, reply.code);
  msg.respond(encode(reply.body));
  return reply.code;
};

const handle = async (request: RequestEnvelope<unknown>, served: Served): Promise<Answer> => {
  const traceId = activeTraceId();
  const reqLog = served.log.child({
    correlationId: request.correlationId,
    operation: served.name,
    ...(traceId ? { traceId } : {}),
  });
  try {
    return { body: ok(await served.handler(request, reqLog)) };
  } catch (e) {
    if (e instanceof DomainError) return { body: fail(e.toBody()), code: e.code };
    if (isConnectionFailure(e)) {
      reqLog.warn({ err: e }, "operation failed: a backing service is unreachable");
      const message = "a backing service is unreachable right now; try again";
      return { body: fail({ code: "UNAVAILABLE", message }), code: "UNAVAILABLE" };
    }
    reqLog.error({ err: e }, "operation failed");
    return { body: fail({ code: "INTERNAL", message: "internal error" }), code: "INTERNAL" };
  }
};

/** One readable line from a zod error: the path and the problem for each issue. */
export const describe = (error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}) =>
  error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ${i.message}` : i.message))
    .join("; ");

export type Requester<M extends Record<string, Operation>> = <K extends keyof M & string>(
  name: K,
  request: RequestEnvelope<RequestOf<M[K]>>,
) => Promise<ReplyOf<M[K]>>;

/**
 * The calling side: sends a request, validates the reply against the contract and turns an
 * ERROR reply back into a DomainError. No responder or no answer in time is UNAVAILABLE.
 * With tracing on, each request is a client span whose context travels in the NATS headers.
 */
export const requesterFor = <M extends Record<string, Operation>>(opts: {
  nc: NatsConnection;
  operations: M;
  subjectOf: (name: keyof M & string) => string;
  timeoutMs: number;
}): Requester<M> => {
  const replies = new Map<string, ReturnType<typeof replyOf>>();
  for (const name of Object.keys(opts.operations)) {
    replies.set(name, replyOf(opts.operations[name]!.reply));
  }

  const send = async (name: string, request: RequestEnvelope<unknown>): Promise<never> => {
    const subject = opts.subjectOf(name);
    let msg: Msg;
    try {
      msg = await opts.nc.request(subject, encode(request), {
        timeout: opts.timeoutMs,
        ...(tracingEnabled() ? { headers: traceHeaders() } : {}),
      });
    } catch (e) {
      throw unavailable(name, e);
    }
    const parsed = replies.get(name)!.safeParse(parseJson(msg.data));
    if (!parsed.success) {
      throw new DomainError("INTERNAL", `malformed reply to ${name}: ${describe(parsed.error)}`);
    }
    const reply = parsed.data as
      | { status: "OK"; data: unknown }
      | { status: "ERROR"; error: { code: never; message: string } };
    if (reply.status === "ERROR") throw new DomainError(reply.error.code, reply.error.message);
    return reply.data as never;
  };

  return (name, request) => {
    if (!tracingEnabled()) return send(name, request);
    return inSpan(
      `request ${name}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          ...requestAttributes(opts.subjectOf(name), name),
          "correlation.id": request.correlationId,
        },
      },
      () => send(name, request),
    );
  };
};

/** NATS headers holding the active span's trace context. */
const traceHeaders = () => {
  const h = headers();
  injectTraceContext(h);
  return h;
};

const unavailable = (name: string, e: unknown): DomainError => {
  const cause = (e as { cause?: unknown }).cause ?? e;
  if (cause instanceof NoRespondersError || e instanceof NoRespondersError) {
    return new DomainError("UNAVAILABLE", `no service is answering ${name} right now; try again`);
  }
  if (cause instanceof TimeoutError || e instanceof TimeoutError) {
    return new DomainError("UNAVAILABLE", `${name} took too long to answer; try again`);
  }
  return new DomainError("UNAVAILABLE", `${name} could not be sent: ${(e as Error).message}`);
};
