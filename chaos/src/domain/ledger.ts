import type { ErrorBody } from "@support-chat/contracts";

/** One message a participant wrote, and what became of it. */
export type Outgoing = {
  roomId: string;
  senderId: string;
  clientMessageId: string;
  /** The text exactly as sent (already trimmed, so the log must hold it byte for byte). */
  text: string;
  /** The fault window the message was first sent in. */
  phase: string;
  attempts: number;
  acked: { id: string; seq: number } | null;
  /** A refusal that retrying cannot change (e.g. the room was closed meanwhile). */
  refused: ErrorBody | null;
};

/**
 * Every message of the run, by clientMessageId (unique per run). Senders add to it and settle
 * entries; the audit reads it at the end.
 */
export class Ledger {
  private readonly entries = new Map<string, Outgoing>();
  private counter = 0;

  /** A fresh idempotency key: unique within the run, only characters the contract allows. */
  nextClientMessageId(senderTag: string): string {
    this.counter++;
    return `${senderTag}.${this.counter.toString(36)}`;
  }

  add(entry: Omit<Outgoing, "attempts" | "acked" | "refused">): Outgoing {
    const outgoing: Outgoing = { ...entry, attempts: 0, acked: null, refused: null };
    this.entries.set(entry.clientMessageId, outgoing);
    return outgoing;
  }

  all(): Outgoing[] {
    return [...this.entries.values()];
  }

  pending(): Outgoing[] {
    return this.all().filter((o) => o.acked === null && o.refused === null);
  }
}
