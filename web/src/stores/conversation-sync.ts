import type { AttachmentDescriptor, ChatMessage, ChatRoom } from "@support-chat/contracts";
import {
  applyRead,
  contiguousSeq,
  emptyConversation,
  firstSeq,
  lastFromOtherSide,
  lastSeq,
  queueOutgoing,
  receive,
  setOutgoingState,
  unreadCount,
  withRoomSnapshot,
  type Conversation,
  type OutgoingMessage,
  type Viewer,
} from "../domain/conversation.js";
import { checkMessageText } from "../domain/limits.js";
import { api } from "../services/api.js";
import { deliver } from "../services/delivery.js";
import { errorMessage } from "../services/errors.js";
import { latestPage, messagesAfter, olderPage } from "../services/history.js";
import { newClientMessageId } from "../services/ids.js";
import { socketService } from "../services/socket.js";

/** Where a store keeps its conversations; the widget has one, the console several. */
export interface ConversationHolder {
  viewer: Viewer;
  get(roomId: string): Conversation | undefined;
  set(conversation: Conversation): void;
  onError?(roomId: string, message: string): void;
}

/**
 * The conversation behaviour the widget and the console share: loading history, catching up
 * by seq after a gap or a reconnect, sending with an idempotency key, retrying, reading.
 */
/** A bound on catch-up rounds in a row, should the server itself be missing a seq. */
const CATCH_UP_ROUNDS = 3;

export const conversationSync = (holder: ConversationHolder) => {
  const catchingUp = new Map<string, Promise<void>>();
  const catchUpAgain = new Set<string>();
  const markingUpTo = new Map<string, number>();

  const update = (roomId: string, change: (c: Conversation) => Conversation) => {
    holder.set(change(holder.get(roomId) ?? emptyConversation(roomId)));
  };

  const fail = (roomId: string, error: unknown) => holder.onError?.(roomId, errorMessage(error));

  const hasHole = (c: Conversation) => c.loaded && contiguousSeq(c.messages) < lastSeq(c);

  const readLatestPage = async (roomId: string): Promise<void> => {
    const page = await latestPage(roomId);
    update(roomId, (c) => ({
      ...receive(c, page.messages),
      loaded: true,
      hasOlder: c.loaded ? c.hasOlder : page.hasOlder,
    }));
  };

  const runCatchUp = async (roomId: string): Promise<void> => {
    for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
      const asked = catchUpAgain.delete(roomId) || round === 0;
      const c = holder.get(roomId);
      if (!c) return;
      if (!c.loaded) await readLatestPage(roomId);
      else if (asked || hasHole(c)) {
        const missed = await messagesAfter(roomId, contiguousSeq(c.messages));
        update(roomId, (now) => receive(now, missed));
      }
      const now = holder.get(roomId);
      if (!now || (!catchUpAgain.has(roomId) && !hasHole(now))) return;
    }
  };

  /**
   * Fetches everything after the last unbroken seq, one fetch at a time per room. `again`
   * (a reconnect, a newer room snapshot) asks for one more round if a fetch is already running;
   * a hole seen meanwhile is re-checked when it ends anyway.
   */
  const catchUp = (roomId: string, again = true): Promise<void> => {
    const running = catchingUp.get(roomId);
    if (running) {
      if (again) catchUpAgain.add(roomId);
      return running;
    }
    const run = runCatchUp(roomId)
      .catch((error: unknown) => fail(roomId, error))
      .finally(() => {
        catchingUp.delete(roomId);
        catchUpAgain.delete(roomId);
      });
    catchingUp.set(roomId, run);
    return run;
  };

  const loadLatest = async (roomId: string): Promise<void> => {
    try {
      await readLatestPage(roomId);
    } catch (error) {
      fail(roomId, error);
      return;
    }
    const c = holder.get(roomId);
    if (c && hasHole(c)) await catchUp(roomId, false);
  };

  const loadOlder = async (roomId: string): Promise<void> => {
    const c = holder.get(roomId);
    const before = c ? firstSeq(c) : null;
    if (!c?.hasOlder || before === null) return;
    try {
      const page = await olderPage(roomId, before);
      update(roomId, (now) => ({ ...receive(now, page.messages), hasOlder: page.hasOlder }));
    } catch (error) {
      fail(roomId, error);
    }
  };

  /** A pushed message: shown at once; a hole in seq before it is filled from the server. */
  const receivePushed = (message: ChatMessage): void => {
    const roomId = message.chatRoomId;
    if (!holder.get(roomId)) return;
    update(roomId, (c) => receive(c, [message]));
    const c = holder.get(roomId);
    if (c && hasHole(c)) void catchUp(roomId, false);
  };

  const applyRoom = (room: ChatRoom): void => {
    if (!holder.get(room.id)) return;
    update(room.id, (c) => withRoomSnapshot(c, room));
    const c = holder.get(room.id);
    if (c?.loaded && room.lastSeq > contiguousSeq(c.messages)) void catchUp(room.id);
  };

  const deliverOutgoing = async (roomId: string, out: OutgoingMessage): Promise<void> => {
    const outcome = await deliver(roomId, out);
    if (outcome.kind === "sent") update(roomId, (c) => receive(c, [outcome.message]));
    else if (outcome.kind === "failed") {
      update(roomId, (c) => setOutgoingState(c, out.clientMessageId, "failed", outcome.error));
    }
  };

  /**
   * Checks the text and queues the message at once (shown as pending); `delivered` settles when
   * the server has answered. A refused text is returned as `error` and nothing is queued.
   */
  const send = (
    roomId: string,
    raw: string,
    attachments: AttachmentDescriptor[] = [],
  ): { error: string } | { delivered: Promise<void> } => {
    // With an attachment the text may be empty.
    const checked = attachments.length > 0 && !raw.trim() ? { text: "" } : checkMessageText(raw);
    if ("error" in checked) return checked;
    const out: OutgoingMessage = {
      clientMessageId: newClientMessageId(),
      message: checked.text,
      createdAt: new Date().toISOString(),
      state: "pending",
      error: null,
      ...(attachments.length > 0 ? { attachments } : {}),
    };
    update(roomId, (c) => queueOutgoing(c, out));
    return { delivered: deliverOutgoing(roomId, out) };
  };

  /** Sends a failed message again under the same clientMessageId, so it is stored once. */
  const retry = async (roomId: string, clientMessageId: string): Promise<void> => {
    const out = holder.get(roomId)?.outbox.find((o) => o.clientMessageId === clientMessageId);
    if (!out) return;
    update(roomId, (c) => setOutgoingState(c, clientMessageId, "pending"));
    await deliverOutgoing(roomId, { ...out, state: "pending", error: null });
  };

  /** After a reconnect: everything still pending goes out, in the order it was written. */
  const flushOutbox = async (roomId: string): Promise<void> => {
    const pending = holder.get(roomId)?.outbox.filter((o) => o.state === "pending") ?? [];
    for (const out of pending) await deliverOutgoing(roomId, out);
  };

  const applyReadReceipt = (roomId: string, side: Viewer, upToSeq: number): void => {
    if (!holder.get(roomId)) return;
    update(roomId, (c) => applyRead(c, side, upToSeq, holder.viewer));
  };

  /** Marks the other side's messages read, once per seq. */
  const markRead = async (roomId: string): Promise<void> => {
    const c = holder.get(roomId);
    if (!c || unreadCount(c, holder.viewer) === 0) return;
    const upToSeq = lastFromOtherSide(c, holder.viewer) ?? c.baseline.atSeq;
    if ((markingUpTo.get(roomId) ?? -1) >= upToSeq) return;
    markingUpTo.set(roomId, upToSeq);
    try {
      const result = socketService.connected
        ? await socketService.request("markRead", { roomId, upToSeq })
        : await api.markRead(roomId, upToSeq);
      applyReadReceipt(roomId, holder.viewer, result.upToSeq);
    } catch (error) {
      markingUpTo.delete(roomId);
      fail(roomId, error);
    }
  };

  return {
    catchUp,
    loadLatest,
    loadOlder,
    receivePushed,
    applyRoom,
    send,
    retry,
    flushOutbox,
    applyReadReceipt,
    markRead,
  };
};

export type ConversationSync = ReturnType<typeof conversationSync>;
