import { randomUUID } from "node:crypto";
import type { z } from "zod";
import {
  DomainError,
  fail,
  isDomainError,
  ok,
  type ErrorBody,
  type Reply,
} from "@support-chat/contracts";
import { describe, type Logger } from "@support-chat/service-kit";
import { actorOf } from "../../domain/principal.js";
import type { Caller } from "../bus/chat-client.js";
import type { ChatSocket } from "./types.js";

export const errorBodyOf = (e: unknown): ErrorBody =>
  isDomainError(e) ? e.toBody() : { code: "INTERNAL", message: "internal error" };

/**
 * Runs one event's work and answers its ack exactly once with `{status: "OK", data}` or
 * `{status: "ERROR", error}`. A client that sent no ack function simply gets no answer.
 */
export const respond = async <T>(
  ack: unknown,
  log: Logger,
  work: () => Promise<T>,
): Promise<Reply<T>> => {
  let reply: Reply<T>;
  try {
    reply = ok(await work());
  } catch (e) {
    if (!isDomainError(e)) log.error({ err: e }, "socket event failed");
    reply = fail(errorBodyOf(e));
  }
  if (typeof ack === "function") {
    try {
      ack(reply);
    } catch (err) {
      log.warn({ err }, "ack callback threw");
    }
  }
  return reply;
};

/** Validates a client payload against its contract before anything else looks at it. */
export const parsePayload = <S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> => {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new DomainError("VALIDATION_FAILED", `invalid payload: ${describe(parsed.error)}`);
  }
  return parsed.data as z.infer<S>;
};

/** Each socket event is its own request in the logs: a fresh correlation id, the socket's user. */
export const callerOf = (socket: ChatSocket): Caller => ({
  actor: actorOf(socket.data.principal),
  correlationId: randomUUID(),
});
