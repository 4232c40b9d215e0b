/** Pure arithmetic over measurements: percentiles, step verdicts, ratios. No I/O, no clock. */

export type LatencySummary = { count: number; p50: number; p99: number; max: number; mean: number };

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Nearest-rank percentile of ascending `sorted` (q in 0..1); NaN when empty. */
export const percentile = (sorted: readonly number[], q: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
};

export const summarize = (values: readonly number[]): LatencySummary => {
  if (values.length === 0) return { count: 0, p50: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  const sum = list.reduce((a, b) => a + b, 0);
  return {
    count: list.length,
    p50: round(percentile(list, 0.5)),
    p99: round(percentile(list, 0.99)),
    max: round(list[list.length - 1]!),
    mean: round(sum / list.length),
  };
};

export type StepCounts = {
  offeredRate: number;
  seconds: number;
  sent: number;
  acked: number;
  ackErrors: Record<string, number>;
  delivered: number;
  deliveredInWindow: number;
  duplicates: number;
  disconnects: number;
};

export type Limits = {
  /** A step passes while end-to-end p99 stays at or under this. */
  p99Ms: number;
  /** ...and deliveries during the step keep up with at least this share of the offered rate. */
  deliveryFloor: number;
};

export type Verdict = { ok: boolean; reasons: string[] };

/** Whether a step held: p99 within the limit, delivery keeping up, nothing lost or doubled. */
export const judgeStep = (counts: StepCounts, p99Ms: number, limits: Limits): Verdict => {
  const reasons: string[] = [];
  if (p99Ms > limits.p99Ms) reasons.push(`p99 ${round(p99Ms, 1)} ms > ${limits.p99Ms} ms`);
  const deliveredRate = counts.deliveredInWindow / counts.seconds;
  if (deliveredRate < limits.deliveryFloor * counts.offeredRate) {
    reasons.push(
      `delivery fell behind: ${Math.round(deliveredRate)}/s of ${counts.offeredRate}/s offered`,
    );
  }
  const lost = counts.sent - counts.delivered;
  if (lost > 0) reasons.push(`${lost} not delivered by the end of the drain`);
  const errors = Object.entries(counts.ackErrors);
  if (errors.length > 0) {
    reasons.push(`error replies: ${errors.map(([code, n]) => `${code}×${n}`).join(", ")}`);
  }
  if (counts.duplicates > 0) reasons.push(`${counts.duplicates} delivered twice`);
  if (counts.disconnects > 0) reasons.push(`${counts.disconnects} sockets dropped`);
  return { ok: reasons.length === 0, reasons };
};

/** The highest offered rate among steps that held, counting only an unbroken run from the first. */
export const highestHeldRate = (steps: ReadonlyArray<{ offeredRate: number; ok: boolean }>) => {
  let best = 0;
  for (const step of steps) {
    if (!step.ok) break;
    best = Math.max(best, step.offeredRate);
  }
  return best;
};

/** a / b rounded, or null when b is zero (a ratio nobody can read). */
export const ratio = (a: number, b: number, digits = 2): number | null =>
  b === 0 ? null : round(a / b, digits);

/** Median of a few samples (memory readings jitter with the garbage collector). */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return percentile(sorted, 0.5);
};

/** Per-key sums of records, e.g. error codes or push counts across drivers. */
export const addCounts = (
  records: ReadonlyArray<Record<string, number>>,
): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const record of records) {
    for (const [key, n] of Object.entries(record)) total[key] = (total[key] ?? 0) + n;
  }
  return total;
};
