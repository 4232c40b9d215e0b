import { io } from "socket.io-client";
import {
  CHAT_NAMESPACE,
  ErrorCode,
  HTTP_STATUS_OF,
  RestError,
  type ClientEventName,
} from "@support-chat/contracts";
import type { ChatSocket, Person } from "@support-chat/system-tests/src/clients.js";
import { z } from "zod";

/** What a refusal must look like everywhere: a known code and a message a person can read. */
export const ClearError = z.object({ code: ErrorCode, message: z.string().min(1) });
export const ErrorAck = z.object({ status: z.literal("ERROR"), error: ClearError });

export type RawReply = { status: number; body: unknown; text: string; headers: Headers };

/** Any HTTP request at all (raw headers and body), so malformed ones can be sent too. */
export const http = async (
  baseUrl: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawReply> => {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: init.headers,
    body: init.body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the assertion on the shape will say so
  }
  return { status: res.status, body, text, headers: res.headers };
};

/** A JSON API call as a signed-in person (or nobody). */
export const api = (
  baseUrl: string,
  who: Person | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<RawReply> =>
  http(baseUrl, method, `/api${path}`, {
    headers: {
      ...(who ? { authorization: `Bearer ${who.token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** The error of a REST reply, checked to be clear: a known code with its own HTTP status. */
export const restErrorOf = (reply: RawReply): z.infer<typeof ClearError> => {
  const parsed = RestError.safeParse(reply.body);
  if (!parsed.success)
    throw new Error(`not an error body (${reply.status}): ${reply.text.slice(0, 300)}`);
  const error = ClearError.parse(parsed.data.error);
  if (HTTP_STATUS_OF[error.code] !== reply.status) {
    throw new Error(
      `${error.code} came with HTTP ${reply.status}, not ${HTTP_STATUS_OF[error.code]}`,
    );
  }
  return error;
};

/** Opens a socket on /chat with whatever auth is given; resolves once connected or refused. */
export const openSocket = (
  baseUrl: string,
  auth: Record<string, unknown> | undefined,
): Promise<{ socket: ChatSocket; refusal: unknown }> =>
  new Promise((resolve) => {
    const socket: ChatSocket = io(`${baseUrl}${CHAT_NAMESPACE}`, {
      ...(auth ? { auth } : {}),
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
    });
    socket.once("connect", () => resolve({ socket, refusal: null }));
    socket.once("connect_error", (err: Error & { data?: unknown }) => {
      resolve({ socket, refusal: err.data ?? { message: err.message } });
      socket.close();
    });
    // A handshake the server will not even read (too large) ends with the connection closed.
    // A refused one closes it too, just before `connect_error`, which should win: hence later.
    socket.io.once("close", (reason) =>
      setImmediate(() => resolve({ socket, refusal: { closed: reason } })),
    );
  });

export const connectAs = async (baseUrl: string, who: Person): Promise<ChatSocket> => {
  const { socket, refusal } = await openSocket(baseUrl, { token: who.token });
  if (refusal) throw new Error(`could not connect as ${who.role}: ${JSON.stringify(refusal)}`);
  return socket;
};

/** Emits any event with any payload (or none) and returns whatever the ack says. */
export const emitRaw = async (
  socket: ChatSocket,
  event: ClientEventName | string,
  ...args: unknown[]
): Promise<unknown> => {
  const emit = socket.timeout(10_000).emitWithAck as unknown as (
    e: string,
    ...a: unknown[]
  ) => Promise<unknown>;
  return emit.call(socket.timeout(10_000), event, ...args);
};
