/**
 * Forked by the idle-connection measurement: opens `count` sockets to one server, each as a
 * different customer, spread over a few loopback source addresses, then holds them idle until
 * told to let go.
 */
import { performance } from "node:perf_hooks";
import { personWithToken } from "../load/people.js";
import { connectSocket, inBatches, type BenchSocket } from "../load/sockets.js";

export type HolderOpen = {
  type: "open";
  url: string;
  count: number;
  /** Signs one customer token per socket; null for the raw relay, which checks none. */
  secret: string | null;
  idPrefix: string;
  localAddresses: string[];
  concurrency: number;
};
export type HolderOpened = {
  type: "opened";
  connected: number;
  failed: number;
  firstError: string | null;
  seconds: number;
};
export type ToHolder = HolderOpen | { type: "close" };

const sockets: BenchSocket[] = [];

const open = async (order: HolderOpen): Promise<HolderOpened> => {
  const started = performance.now();
  let failed = 0;
  let firstError: string | null = null;
  const indexes = Array.from({ length: order.count }, (_, i) => i);
  await inBatches(indexes, order.concurrency, async (i) => {
    const id = `${order.idPrefix}-${i}`;
    const token = order.secret
      ? personWithToken(order.secret, "customer", id, `Idle ${i}`).token
      : "raw";
    const address = order.localAddresses[i % order.localAddresses.length];
    try {
      sockets.push(await connectSocket(order.url, token, address, 60_000));
    } catch (e) {
      failed++;
      firstError ??= e instanceof Error ? e.message : String(e);
    }
  });
  return {
    type: "opened",
    connected: sockets.length,
    failed,
    firstError,
    seconds: (performance.now() - started) / 1000,
  };
};

process.on("message", (message: ToHolder) => {
  if (message.type === "open") {
    void open(message).then((reply) => process.send?.(reply));
  } else {
    for (const s of sockets) s.disconnect();
    setTimeout(() => process.exit(0), 100);
  }
});
process.on("disconnect", () => process.exit(0));
