import type { ChatMessage, RoomNote } from "@support-chat/contracts";
import type { Conversation, OutgoingMessage } from "./conversation.js";

/** A line in the chat window: a stored message, one still being sent, or a notice. */
export type TimelineItem =
  | { kind: "message"; key: string; message: ChatMessage; mine: boolean }
  | { kind: "outgoing"; key: string; outgoing: OutgoingMessage }
  | { kind: "notice"; key: string; text: string }
  /** Support staff's private note (console only). */
  | { kind: "note"; key: string; note: RoomNote };

/** A notice ("Alex joined the chat") shown after the message it followed. */
export interface Notice {
  id: string;
  afterSeq: number;
  text: string;
}

export const timelineItems = (
  c: Conversation,
  myId: string | null,
  notices: readonly Notice[] = [],
): TimelineItem[] => {
  const items: TimelineItem[] = [];
  const pending = [...notices].sort((a, b) => a.afterSeq - b.afterSeq);
  let next = 0;
  const noticesUpTo = (seq: number) => {
    while (next < pending.length && (pending[next]?.afterSeq ?? Infinity) <= seq) {
      const notice = pending[next++];
      if (notice) items.push({ kind: "notice", key: `n-${notice.id}`, text: notice.text });
    }
  };
  for (const message of c.messages) {
    noticesUpTo(message.seq - 1);
    items.push({
      kind: "message",
      key: `m-${message.seq}`,
      message,
      mine: message.senderId === myId,
    });
  }
  noticesUpTo(Infinity);
  for (const outgoing of c.outbox) {
    items.push({ kind: "outgoing", key: `o-${outgoing.clientMessageId}`, outgoing });
  }
  return items;
};
