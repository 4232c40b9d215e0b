/** How a message reached a client: pushed live, fetched by seq, or in the ack of its own send. */
export type Arrival = "push" | "fetch" | "ack";

export type ShownMessage = Readonly<{
  id: string;
  seq: number;
  senderId: string;
  clientMessageId: string;
  message: string;
  arrival: Arrival;
}>;

/** Something a client would show wrongly: one seq with two messages, or one message twice. */
export type ViewAnomaly = Readonly<{
  kind: "seq-conflict" | "shown-twice";
  roomId: string;
  seq: number;
  detail: string;
}>;

const keyOf = (m: { senderId: string; clientMessageId: string }) =>
  `${m.senderId}\u0000${m.clientMessageId}`;

/**
 * One client's copy of one conversation, kept the way the widget and the console keep theirs:
 * keyed by seq, so a message that arrives twice (a push and a fetch, a redelivery) is shown
 * once, and shown in seq order whatever order it arrived in. It also remembers what a correct
 * client must never do, so the run can prove it did not happen.
 */
export class ConversationView {
  private readonly bySeq = new Map<number, ShownMessage>();
  private readonly seqOfKey = new Map<string, number>();
  /** Highest seq n such that 1..n are all here. */
  private unbroken = 0;
  /** Highest seq this client has heard of (from a message or a room snapshot). */
  private heardOf = 0;
  readonly anomalies: ViewAnomaly[] = [];
  /** Messages that arrived again after being shown (expected after catch-ups; not an error). */
  redundantArrivals = 0;
  /** Pushes that arrived after a higher seq had already been pushed. */
  pushesOutOfOrder = 0;
  private highestPushed = 0;

  constructor(readonly roomId: string) {}

  /** Takes a message in; returns true when it was new to this view. */
  receive(message: Omit<ShownMessage, "arrival">, arrival: Arrival): boolean {
    if (arrival === "push") {
      if (message.seq < this.highestPushed) this.pushesOutOfOrder++;
      this.highestPushed = Math.max(this.highestPushed, message.seq);
    }
    this.heardOf = Math.max(this.heardOf, message.seq);
    const present = this.bySeq.get(message.seq);
    if (present) {
      if (present.id === message.id) this.redundantArrivals++;
      else this.note("seq-conflict", message.seq, `${present.id} and ${message.id}`);
      return false;
    }
    const key = keyOf(message);
    const earlier = this.seqOfKey.get(key);
    if (earlier !== undefined) {
      this.note("shown-twice", message.seq, `${message.clientMessageId} already at ${earlier}`);
    }
    this.seqOfKey.set(key, message.seq);
    this.bySeq.set(message.seq, { ...message, arrival });
    while (this.bySeq.has(this.unbroken + 1)) this.unbroken++;
    return true;
  }

  /** A room snapshot told us how far the conversation has got. */
  heardOfSeq(seq: number): void {
    this.heardOf = Math.max(this.heardOf, seq);
  }

  /** Where a catch-up starts: everything after the unbroken prefix. */
  get contiguousSeq(): number {
    return this.unbroken;
  }

  /** A hole: a later seq is known but an earlier one is missing. */
  get hasHole(): boolean {
    return this.heardOf > this.unbroken;
  }

  /** What the client shows, in the order it shows it. */
  shown(): ShownMessage[] {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  has(messageId: string, seq: number): boolean {
    return this.bySeq.get(seq)?.id === messageId;
  }

  arrivalOf(seq: number): Arrival | undefined {
    return this.bySeq.get(seq)?.arrival;
  }

  private note(kind: ViewAnomaly["kind"], seq: number, detail: string): void {
    this.anomalies.push({ kind, roomId: this.roomId, seq, detail });
  }
}
