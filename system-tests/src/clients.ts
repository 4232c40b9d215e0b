import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { io, type Socket } from "socket.io-client";
import {
  CHAT_NAMESPACE,
  type ClientEventAck,
  type ClientEventName,
  type ClientEventPayload,
  type ClientToServerEvents,
  type Reply,
  type Role,
  type ServerEventName,
  type ServerEventPayload,
  type ServerToClientEvents,
} from "@support-chat/contracts";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type Person = { id: string; name: string; role: Role; token: string };

/** Signs a token the way the storefront would. */
export const person = (
  secret: string,
  role: Role,
  name: string,
  id = `${role}-${randomUUID()}`,
): Person => ({
  id,
  name,
  role,
  token: jwt.sign({ sub: id, name, role }, secret, { algorithm: "HS256", expiresIn: "1h" }),
});

/** A REST call as that person; returns status, headers and parsed body. */
export const rest = async (
  baseUrl: string,
  who: Person | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; headers: Headers }> => {
  const res = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: {
      ...(who ? { authorization: `Bearer ${who.token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
};

/** A connected socket.io client on the /chat namespace that records every push it receives. */
export class ChatClient {
  readonly socket: ChatSocket;
  readonly received: Array<{ event: ServerEventName; payload: unknown }> = [];
  private waiters: Array<() => void> = [];

  private constructor(baseUrl: string, token: string) {
    this.socket = io(`${baseUrl}${CHAT_NAMESPACE}`, {
      auth: { token },
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
    });
    this.socket.onAny((event: ServerEventName, payload: unknown) => {
      this.received.push({ event, payload });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(baseUrl: string, who: Person): Promise<ChatClient> {
    const client = new ChatClient(baseUrl, who.token);
    await new Promise<void>((resolve, reject) => {
      client.socket.once("connect", () => resolve());
      client.socket.once("connect_error", reject);
    });
    return client;
  }

  async send<K extends ClientEventName>(
    event: K,
    payload: ClientEventPayload<K>,
  ): Promise<Reply<ClientEventAck<K>>> {
    const emit = this.socket.timeout(10_000).emitWithAck as unknown as (
      e: string,
      p: unknown,
    ) => Promise<Reply<ClientEventAck<K>>>;
    return emit.call(this.socket.timeout(10_000), event, payload);
  }

  /** Resolves with the first recorded push of `event` matching `match` (earlier ones count too). */
  async waitFor<K extends ServerEventName>(
    event: K,
    match: (payload: ServerEventPayload<K>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ServerEventPayload<K>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.find(
        (r) => r.event === event && match(r.payload as ServerEventPayload<K>),
      );
      if (hit) return hit.payload as ServerEventPayload<K>;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${event} push matched within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  all<K extends ServerEventName>(event: K): Array<ServerEventPayload<K>> {
    return this.received
      .filter((r) => r.event === event)
      .map((r) => r.payload as ServerEventPayload<K>);
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Polls a condition until it holds (bounded), for state that no single push announces. */
export const eventually = async (
  holds: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await holds())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
