import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import {
  CHAT_NAMESPACE,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "@support-chat/contracts";

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** engine.io-client hands `localAddress` to `ws` (and so to `net.connect`) but does not type it. */
type ConnectOptions = Partial<ManagerOptions & SocketOptions> & { localAddress?: string };

/**
 * One socket.io client on the chat namespace, like the widget opens: websocket only, its own
 * connection (no multiplexing), no automatic reconnection so a drop shows up in the numbers.
 * `localAddress` picks a loopback source address, so many sockets are not limited to the
 * ephemeral ports of one address.
 */
export const connectSocket = (
  baseUrl: string,
  token: string,
  localAddress?: string,
  timeoutMs = 20_000,
): Promise<BenchSocket> => {
  const options: ConnectOptions = {
    auth: { token },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
    ...(localAddress ? { localAddress } : {}),
  };
  const socket: BenchSocket = io(`${baseUrl}${CHAT_NAMESPACE}`, options);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.disconnect();
      reject(err);
    });
  });
};

/** Runs `work` over `items` with at most `limit` at a time; the first failure fails it all. */
export const inBatches = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
};
