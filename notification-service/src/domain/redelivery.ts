/** How long to wait before the next attempt: doubling from `baseMs`, never above `maxMs`. */
export const retryDelayMs = (deliveryCount: number, baseMs: number, maxMs: number): number => {
  const attempt = Math.max(1, Math.floor(deliveryCount));
  // Capping the exponent keeps the number finite; 2^20 is far past any sensible maximum.
  const delay = baseMs * 2 ** Math.min(attempt - 1, 20);
  return Math.max(1, Math.min(delay, maxMs));
};

type Hold = { blockedAt: number; untilMs: number };

/** Past this many held rooms, stale holds are swept before a new one is added. */
const SWEEP_AT = 256;

/**
 * Rooms whose pushes wait because an earlier event of theirs is being retried. A later event
 * of a held room is sent back until the earlier one has gone through, so a room never sees its
 * pushes out of order while other rooms keep flowing. Events are identified by their stream
 * sequence; time is passed in.
 */
export class RoomHolds {
  private readonly holds = new Map<string, Hold>();

  constructor(
    private readonly opts: {
      /** How long past the retry time later events wait for the held one to come back. */
      graceMs: number;
      /** How soon a later event looks again once the retry time has passed. */
      recheckMs: number;
    },
  ) {}

  /** Rooms currently held. */
  get size(): number {
    return this.holds.size;
  }

  /** The event at `streamSeq` failed at `nowMs` and will be retried at `untilMs`. */
  hold(roomId: string, streamSeq: number, nowMs: number, untilMs: number): void {
    if (this.holds.size >= SWEEP_AT) this.forgetExpired(nowMs);
    const current = this.holds.get(roomId);
    if (current && current.blockedAt < streamSeq) {
      current.untilMs = Math.max(current.untilMs, untilMs);
      return;
    }
    this.holds.set(roomId, { blockedAt: streamSeq, untilMs });
  }

  /** The event at `streamSeq` went through; the room's later events may follow. */
  release(roomId: string, streamSeq: number): void {
    const current = this.holds.get(roomId);
    if (current && streamSeq >= current.blockedAt) this.holds.delete(roomId);
  }

  /** Holds whose failed event went elsewhere and whose room has been quiet since. */
  private forgetExpired(nowMs: number): void {
    for (const [roomId, { untilMs }] of this.holds) {
      if (nowMs >= untilMs + this.opts.graceMs) this.holds.delete(roomId);
    }
  }

  /** How long the event at `streamSeq` must wait at `nowMs`; 0 when it may go now. */
  waitMs(roomId: string, streamSeq: number, nowMs: number): number {
    const current = this.holds.get(roomId);
    if (!current || streamSeq <= current.blockedAt) return 0;
    if (nowMs < current.untilMs) return current.untilMs - nowMs;
    // The held event may have gone to another replica; do not wait for it forever.
    if (nowMs >= current.untilMs + this.opts.graceMs) {
      this.holds.delete(roomId);
      return 0;
    }
    return this.opts.recheckMs;
  }
}
