import { performance } from "node:perf_hooks";
import { messagesAfter } from "../load/rest.js";
import { inBatches } from "../load/sockets.js";
import { summarize, type LatencySummary } from "../stats.js";
import type { Writers } from "./writers.js";

/** The page the web client asks for when it catches up (`web/src/services/history.ts`). */
export const CATCH_UP_PAGE = 200;

export type CatchUp = {
  missed: number;
  pageSize: number;
  pages: number;
  bytes: number;
  runs: number;
  ms: LatencySummary;
};

/**
 * A customer saw the first `seen` messages of their room, then missed `missed` more. Each run
 * fetches what they missed exactly like the web client: `?after=<last seq>` in pages of 200
 * until the server says there is no more, checking every seq arrives once and in order.
 */
export const measureCatchUp = async (opts: {
  gatewayUrl: string;
  writers: Writers;
  seen: number;
  missed: number;
  runs: number;
}): Promise<CatchUp> => {
  const [writer] = await opts.writers.open(1);
  const total = opts.seen + opts.missed;
  const seqs = Array.from({ length: total }, (_, i) => i + 1);
  // The room serialises its writers anyway; a few in flight keep the pipe full.
  await inBatches(seqs, 8, (n) => writer!.post(`catch-up-${n}`, `message ${n} of the backlog`));

  const timings: number[] = [];
  let pages = 0;
  let bytes = 0;
  for (let run = 0; run < opts.runs; run++) {
    const started = performance.now();
    let after = opts.seen;
    let received = 0;
    pages = 0;
    bytes = 0;
    for (;;) {
      const { page, bytes: size } = await messagesAfter(
        opts.gatewayUrl,
        writer!.person.token,
        writer!.roomId,
        after,
        CATCH_UP_PAGE,
      );
      pages++;
      bytes += size;
      for (const m of page.messages) {
        if (m.seq !== after + 1) throw new Error(`catch-up got seq ${m.seq} after ${after}`);
        after = m.seq;
        received++;
      }
      if (!page.hasMore || page.messages.length === 0) break;
    }
    timings.push(performance.now() - started);
    if (received !== opts.missed) {
      throw new Error(`catch-up fetched ${received} messages, expected ${opts.missed}`);
    }
  }
  return {
    missed: opts.missed,
    pageSize: CATCH_UP_PAGE,
    pages,
    bytes,
    runs: opts.runs,
    ms: summarize(timings),
  };
};
