/** How long a delivery keeps being tried, and how far apart the tries are. */
export type RetryPolicy = Readonly<{
  /** The delay after the first failed attempt; each further failure doubles it. */
  baseMs: number;
  /** The longest delay between two attempts. */
  maxDelayMs: number;
  /** Attempts in all, the first included; after the last failure the delivery is failed. */
  maxAttempts: number;
  /** A delivery older than this is not tried again; its next failure is final. */
  maxAgeMs: number;
}>;

/** The delay before the next attempt, before jitter: base × 2^(failures − 1), capped. */
export const nominalDelayMs = (failures: number, policy: RetryPolicy): number =>
  Math.min(policy.baseMs * 2 ** Math.max(0, failures - 1), policy.maxDelayMs);

/**
 * The delay with jitter: anywhere from half to all of the nominal delay, so endpoints that
 * failed together (a receiver's outage) are not retried in one burst when it comes back.
 * `random` returns a number in [0, 1).
 */
export const backoffMs = (failures: number, policy: RetryPolicy, random: () => number): number => {
  const nominal = nominalDelayMs(failures, policy);
  return Math.round(nominal / 2 + (nominal / 2) * random());
};

/** What becomes of a delivery after an attempt. */
export type NextStep =
  { status: "delivered" } | { status: "pending"; nextAttemptAt: Date } | { status: "failed" };

/**
 * After an attempt: a 2xx is delivered; otherwise another attempt, after the backoff, while
 * attempts remain and the delivery would still be younger than its maximum age; else failed.
 */
export const nextStep = (opts: {
  delivered: boolean;
  /** Attempts made so far, this one included. */
  attempts: number;
  createdAt: Date;
  now: Date;
  policy: RetryPolicy;
  random: () => number;
}): NextStep => {
  if (opts.delivered) return { status: "delivered" };
  if (opts.attempts >= opts.policy.maxAttempts) return { status: "failed" };
  const next = new Date(opts.now.getTime() + backoffMs(opts.attempts, opts.policy, opts.random));
  if (next.getTime() - opts.createdAt.getTime() > opts.policy.maxAgeMs) return { status: "failed" };
  return { status: "pending", nextAttemptAt: next };
};

/** Whether an HTTP status means the receiver took the delivery. */
export const isDelivered = (statusCode: number | null): boolean =>
  statusCode !== null && statusCode >= 200 && statusCode < 300;
