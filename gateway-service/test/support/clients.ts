import { io, type Socket } from "socket.io-client";
import type { z } from "zod";
import { CHAT_NAMESPACE, ErrorBody, type Reply } from "@support-chat/contracts";
import { expect } from "vitest";
import type { Person } from "./harness.js";

export type RestResponse = { status: number; body: unknown; headers: Headers };

/** A REST call as that person (or nobody); returns status, headers and the parsed body. */
export const rest = async (
  baseUrl: string,
  who: Person | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RestResponse> => {
  const res = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: {
      ...(who ? { authorization: `Bearer ${who.token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: res.headers,
  };
};

/** Asserts an error response: the status and the `{error: {code}}` body. */
export const expectRestError = (res: RestResponse, status: number, code: string): ErrorBody => {
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: { error: { code } },
  });
  return ErrorBody.parse((res.body as { error: unknown }).error);
};

/** Parses a successful response body against its contract. */
export const restData = <S extends z.ZodType>(res: RestResponse, status: number, schema: S) => {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  return schema.parse(res.body) as z.infer<S>;
};

const socketOptions = (token: unknown) => ({
  auth: token === undefined ? {} : { token },
  transports: ["websocket"],
  reconnection: false,
  forceNew: true,
});

/** A connected client of the /chat namespace; it records every push for `waitFor`. */
export const connectSocket = async (baseUrl: string, who: Person): Promise<Socket> => {
  const socket = io(`${baseUrl}${CHAT_NAMESPACE}`, socketOptions(who.token));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
};

/** The handshake refusal a client gets: the error and its `{code, message}` data. */
export const connectRefusal = async (baseUrl: string, token: unknown) => {
  const socket = io(`${baseUrl}${CHAT_NAMESPACE}`, socketOptions(token));
  try {
    return await new Promise<Error & { data?: unknown }>((resolve, reject) => {
      socket.once("connect", () => reject(new Error("the handshake was accepted")));
      socket.once("connect_error", resolve);
    });
  } finally {
    socket.close();
  }
};

/** Emits an event (payload as given, however wrong) and resolves with its ack. */
export const emitWithAck = (socket: Socket, event: string, payload: unknown) =>
  socket.timeout(10_000).emitWithAck(event, payload) as Promise<Reply<unknown>>;

export const ackData = <S extends z.ZodType>(reply: Reply<unknown>, schema: S) => {
  expect(reply).toMatchObject({ status: "OK" });
  return schema.parse((reply as { data: unknown }).data) as z.infer<S>;
};

export const ackError = (reply: Reply<unknown>, code: string): ErrorBody => {
  expect(reply).toMatchObject({ status: "ERROR", error: { code } });
  return ErrorBody.parse((reply as { error: unknown }).error);
};

/** Resolves with the next `event` on this socket that matches, or fails after the timeout. */
export const waitFor = <T = unknown>(
  socket: Socket,
  event: string,
  match: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });

/** Polls a condition until it holds (bounded), for state that changes without an event. */
export const eventually = async <T>(
  read: () => Promise<T>,
  holds: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
