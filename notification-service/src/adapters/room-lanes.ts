/**
 * Runs tasks so that tasks of one lane (a room) go strictly one after another, in the order
 * they were added, while tasks of different lanes overlap, at most `concurrency` at a time.
 * A lane waiting for a slot holds none, so a busy or slow room never starves the others.
 */
export class RoomLanes {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private queued = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    /** Called after each task finishes; the consumer uses it to pull more. */
    private readonly onSettled: () => void = () => {},
  ) {}

  /** Tasks added and not finished yet. */
  get size(): number {
    return this.queued;
  }

  /** Runs `task` after every earlier task of `lane`; `task` must not throw. */
  add(lane: string, task: () => Promise<void>): void {
    this.queued += 1;
    const previous = this.tails.get(lane) ?? Promise.resolve();
    const done = previous.then(() => this.withSlot(task));
    this.tails.set(lane, done);
    void done.then(() => {
      // Forget a lane once its last task is done, so the map stays as small as the work in hand.
      if (this.tails.get(lane) === done) this.tails.delete(lane);
      this.queued -= 1;
      if (this.queued === 0) this.settleIdle();
      this.onSettled();
    });
  }

  /** Resolves once every task added so far has finished. */
  drained(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async withSlot(task: () => Promise<void>): Promise<void> {
    if (this.running >= this.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      await task();
    } catch {
      // The caller's task settles its own failures; a throw here must not stall the lane.
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `running` is unchanged.
      if (next) next();
      else this.running -= 1;
    }
  }

  private settleIdle(): void {
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }
}
