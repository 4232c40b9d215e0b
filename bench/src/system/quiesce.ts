import { performance } from "node:perf_hooks";
import { cpuSeconds } from "./procfs.js";
import { metricSum } from "./service-metrics.js";
import type { BenchStack } from "./stack.js";

/**
 * Waits until the stack has worked off an overload: commands that timed out at the gateway are
 * still queued at the chat service, and their events still on their way to the notification
 * service. Done when the notification consumer has nothing pending and the chat service is
 * idle; returns how long that took (the product's recovery time), or null on timeout.
 */
export const waitUntilQuiet = async (
  stack: BenchStack,
  timeoutMs = 180_000,
): Promise<number | null> => {
  const started = performance.now();
  const chat = stack.services.get("chat-service")!;
  const notification = stack.services.get("notification-service")!;
  let cpuBefore = cpuSeconds(chat.pid) ?? 0;
  while (performance.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 1000));
    const cpuNow = cpuSeconds(chat.pid) ?? 0;
    const chatBusy = cpuNow - cpuBefore;
    cpuBefore = cpuNow;
    const text = await notification.metrics();
    const pending =
      metricSum(text, "notification_consumer_pending") +
      metricSum(text, "notification_consumer_ack_pending");
    // Idle services still tick (relay polls, presence, sweeps): a tenth of a core is quiet.
    if (pending === 0 && chatBusy < 0.1) return Math.round(performance.now() - started);
  }
  return null;
};
