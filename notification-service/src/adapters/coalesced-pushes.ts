import type { Logger } from "@support-chat/service-kit";
import type { Push } from "../domain/pushes.js";
import type { PushPublisher } from "./socket-pushes.js";

export type CoalescedPushes = {
  /** Sends `push` within the window, unless a later one for the same key replaces it. */
  later: (key: string, push: Push) => void;
  /** Drops what is held for `key` (something newer went out at once). */
  cancel: (key: string) => void;
  /** Sends what is held now. */
  flush: () => Promise<void>;
};

/**
 * Holds pushes that only carry the latest state of something (a room in every agent's list)
 * and sends the newest per key once per window, so a busy room costs every agent one update
 * a window instead of one per message. What is held is a snapshot, not news: if the process
 * stops before a window ends, the next update or a reload of the list shows the same.
 */
export const coalescedPushes = (
  publish: PushPublisher,
  windowMs: number,
  log: Logger,
): CoalescedPushes => {
  const held = new Map<string, Push>();
  let timer: NodeJS.Timeout | undefined;

  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    if (held.size === 0) return;
    const pushes = [...held.values()];
    held.clear();
    await publish(pushes).catch((err: unknown) => {
      log.warn({ err, pushes: pushes.length }, "coalesced pushes not sent; the next ones follow");
    });
  };

  return {
    later: (key, push) => {
      if (windowMs === 0) {
        void publish([push]).catch((err: unknown) => log.warn({ err }, "push not sent"));
        return;
      }
      held.set(key, push);
      timer ??= setTimeout(() => void flush(), windowMs);
    },
    cancel: (key) => {
      held.delete(key);
    },
    flush,
  };
};
