/** Where a message already posted with a given (sender, clientMessageId) ended up. */
export type PostedMessage = Readonly<{ messageId: string; seq: number }>;

type Entry = Readonly<{ position: number; message: PostedMessage }>;

/**
 * A room's posted messages by `messageKey`, as an immutable value that grows in constant time.
 * Copying a map for every message made each append cost as much as the room's whole history.
 * Versions share one append-only map and each sees only the entries added before it was made;
 * a key is added once per room (a retried send adds nothing), so an entry never moves. Growing a
 * version that is not the newest (a second future of the same room, as when a decision is
 * tried on a stale state) copies what it sees first, so no version ever changes.
 */
export class PostedMessages {
  private constructor(
    private readonly entries: Map<string, Entry>,
    /** How many entries of `entries` this version sees. */
    readonly size: number,
  ) {}

  static empty(): PostedMessages {
    return new PostedMessages(new Map(), 0);
  }

  get(key: string): PostedMessage | undefined {
    const entry = this.entries.get(key);
    return entry && entry.position < this.size ? entry.message : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** This version plus `key`; this version stays as it is. */
  with(key: string, message: PostedMessage): PostedMessages {
    const newest = this.size === this.entries.size;
    if (newest && !this.entries.has(key)) {
      this.entries.set(key, { position: this.size, message });
      return new PostedMessages(this.entries, this.size + 1);
    }
    const copy = new Map<string, Entry>();
    for (const [k, entry] of this.entries) {
      if (entry.position < this.size && k !== key)
        copy.set(k, { position: copy.size, message: entry.message });
    }
    copy.set(key, { position: copy.size, message });
    return new PostedMessages(copy, copy.size);
  }
}
