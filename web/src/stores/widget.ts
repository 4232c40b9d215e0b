import { defineStore } from "pinia";
import { computed, ref, watch } from "vue";
import type { AttachmentDescriptor, ChatRoom, ServerEventPayload } from "@support-chat/contracts";
import {
  emptyConversation,
  lastSeq,
  unreadCount,
  withRoomSnapshot,
  type Conversation,
} from "../domain/conversation.js";
import { timelineItems, type Notice } from "../domain/timeline.js";
import { api } from "../services/api.js";
import { t } from "../i18n/text.js";
import { errorMessage, ChatRequestError } from "../services/errors.js";
import { socketService } from "../services/socket.js";
import { readStored, writeStored } from "../services/storage.js";
import { createTypingSender, TYPING_SHOWN_MS } from "../services/typing.js";
import { pageVisible } from "../services/visibility.js";
import { useConnectionStore } from "./connection.js";
import { conversationSync } from "./conversation-sync.js";
import { useSessionStore } from "./session.js";

export type WidgetStatus = "idle" | "waiting" | "offline" | "connected" | "closed";

export interface QueueInfo {
  position: number | null;
  estimatedWaitSeconds: number | null;
  agentsOnline: number;
}

/** The customer's side: their room, its messages, and what the widget shows about it. */
export const useWidgetStore = defineStore("widget", () => {
  const session = useSessionStore();
  const connection = useConnectionStore();

  const room = ref<ChatRoom | null>(null);
  const conversation = ref<Conversation | null>(null);
  const isOpen = ref(readStored("widget-open") === "true");
  const queue = ref<QueueInfo | null>(null);
  const agentTyping = ref<string | null>(null);
  const notices = ref<Notice[]>([]);
  const error = ref<string | null>(null);
  const starting = ref(false);
  const loadingOlder = ref(false);

  const key = (name: string) => `${name}:${session.user?.id ?? "anonymous"}`;
  const storedUnread = ref(Number(readStored(key("widget-unread")) ?? 0) || 0);

  const sync = conversationSync({
    viewer: "customer",
    get: (roomId) => (conversation.value?.roomId === roomId ? conversation.value : undefined),
    set: (c) => {
      if (room.value?.id === c.roomId) conversation.value = c;
    },
    onError: (_roomId, message) => {
      error.value = message;
    },
  });

  const unread = computed(() =>
    conversation.value ? unreadCount(conversation.value, "customer") : storedUnread.value,
  );
  watch(unread, (count) => writeStored(key("widget-unread"), String(count)), { flush: "sync" });

  const status = computed<WidgetStatus>(() => {
    const current = room.value;
    if (!current) return "idle";
    if (current.status === "closed") return "closed";
    if (current.status === "open") return "connected";
    return queue.value?.agentsOnline === 0 ? "offline" : "waiting";
  });

  const items = computed(() =>
    conversation.value
      ? timelineItems(conversation.value, session.user?.id ?? null, notices.value)
      : [],
  );
  const hasOlder = computed(() => conversation.value?.hasOlder ?? false);

  const setRoom = (next: ChatRoom) => {
    if (room.value?.id !== next.id) {
      conversation.value = withRoomSnapshot(emptyConversation(next.id), next);
      notices.value = [];
      queue.value = null;
    }
    room.value = next;
    writeStored(key("widget-room"), next.id);
    sync.applyRoom(next);
  };

  const join = async () => {
    const current = room.value;
    if (!current || !socketService.connected) return;
    try {
      setRoom(await socketService.request("joinRoom", { roomId: current.id }));
    } catch (e) {
      error.value = errorMessage(e);
    }
  };

  const enterRoom = async (next: ChatRoom) => {
    setRoom(next);
    await join();
    await sync.loadLatest(next.id);
  };

  /** Gets (or creates) the customer's open room. */
  const ensureRoom = async (): Promise<ChatRoom | null> => {
    if (room.value && room.value.status !== "closed") return room.value;
    if (!session.isCustomer) return null;
    try {
      await enterRoom(await api.myRoom());
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    }
    return room.value;
  };

  /**
   * Called on every storefront page: connects, and brings back the room this customer already
   * had (with its history and unread count). A room is only created by the first message, so
   * people who merely open the widget do not appear in the agents' queue.
   */
  const start = async () => {
    if (!session.isCustomer || starting.value || room.value) return;
    starting.value = true;
    connection.start();
    try {
      const knownRoomId = readStored(key("widget-room"));
      if (!knownRoomId) return;
      try {
        await enterRoom(await api.room(knownRoomId));
      } catch (e) {
        if (e instanceof ChatRequestError && !e.transient) writeStored(key("widget-room"), null);
        else error.value = errorMessage(e);
      }
    } finally {
      starting.value = false;
    }
  };

  const open = async () => {
    isOpen.value = true;
    writeStored("widget-open", "true");
    await start();
  };

  const close = () => {
    isOpen.value = false;
    writeStored("widget-open", "false");
    typing.stop();
  };

  /** After a closed chat: the next message opens a new room. */
  const startNewChat = () => {
    room.value = null;
    conversation.value = null;
    notices.value = [];
    queue.value = null;
    error.value = null;
    writeStored(key("widget-room"), null);
  };

  /** Queues a message (creating the room on the first one); returns an error to show, or null. */
  const send = async (
    text: string,
    attachments: AttachmentDescriptor[] = [],
  ): Promise<string | null> => {
    const current = await ensureRoom();
    if (!current) return error.value ?? t("widget.unavailable");
    typing.stop();
    const queued = sync.send(current.id, text, attachments);
    if ("error" in queued) return queued.error;
    await queued.delivered;
    return null;
  };

  const retry = (clientMessageId: string) =>
    room.value ? sync.retry(room.value.id, clientMessageId) : Promise.resolve();

  const loadOlder = async () => {
    if (!room.value || loadingOlder.value) return;
    loadingOlder.value = true;
    try {
      await sync.loadOlder(room.value.id);
    } finally {
      loadingOlder.value = false;
    }
  };

  const typing = createTypingSender((isTyping) => {
    const current = room.value;
    if (!current || !socketService.connected) return;
    socketService.request("typing", { roomId: current.id, isTyping }).catch(() => undefined);
  });

  const markRead = () => (room.value ? sync.markRead(room.value.id) : Promise.resolve());

  // Reading counts only when the window is open and the page is on screen.
  watch(
    [isOpen, pageVisible, unread],
    ([openNow, visible, count]) => {
      if (openNow && visible && count > 0) void markRead();
    },
    { immediate: true },
  );

  // ---- pushed from the server (through the dispatcher) ----

  const isMine = (roomId: string) => room.value?.id === roomId;

  const onConnected = async () => {
    if (!room.value) return;
    await join();
    await sync.catchUp(room.value.id);
    await sync.flushOutbox(room.value.id);
  };

  let typingTimer: ReturnType<typeof setTimeout> | null = null;
  const onNewMessage = (push: ServerEventPayload<"newMessage">) => {
    if (!isMine(push.roomId)) return;
    if (push.isFromSupport) agentTyping.value = null;
    sync.receivePushed(push);
  };

  const onUserTyping = (push: ServerEventPayload<"userTyping">) => {
    if (!isMine(push.roomId) || !push.isFromSupport || push.userId === session.user?.id) return;
    if (typingTimer) clearTimeout(typingTimer);
    agentTyping.value = push.isTyping ? push.userName : null;
    if (push.isTyping) typingTimer = setTimeout(() => (agentTyping.value = null), TYPING_SHOWN_MS);
  };

  let noticeCount = 0;
  const onSupportJoined = (push: ServerEventPayload<"supportJoined">) => {
    const current = room.value;
    if (!current || current.id !== push.roomId) return;
    room.value = {
      ...current,
      status: current.status === "closed" ? "closed" : "open",
      supportAgentId: push.agentId,
      supportAgentName: push.agentName,
    };
    queue.value = null;
    // The push's own message is the server's English; the notice reads in the shown language.
    const text = t("widget.joined", { name: push.agentName });
    const afterSeq = conversation.value ? lastSeq(conversation.value) : 0;
    noticeCount++;
    notices.value = [...notices.value, { id: String(noticeCount), afterSeq, text }];
  };

  const onRoomUpdated = (next: ChatRoom) => {
    if (isMine(next.id)) setRoom(next);
  };

  const onRoomUnassigned = async (push: ServerEventPayload<"roomUnassigned">) => {
    if (!isMine(push.roomId)) return;
    try {
      setRoom(await api.room(push.roomId));
    } catch (e) {
      error.value = errorMessage(e);
    }
  };

  const onMessagesRead = (push: ServerEventPayload<"messagesRead">) => {
    if (isMine(push.roomId)) sync.applyReadReceipt(push.roomId, push.side, push.upToSeq);
  };

  const onQueueUpdated = (push: ServerEventPayload<"queueUpdated">) => {
    if (!isMine(push.roomId)) return;
    queue.value = {
      position: push.position,
      estimatedWaitSeconds: push.estimatedWaitSeconds,
      agentsOnline: push.agentsOnline,
    };
  };

  return {
    room,
    conversation,
    isOpen,
    queue,
    agentTyping,
    notices,
    error,
    loadingOlder,
    unread,
    status,
    items,
    hasOlder,
    start,
    open,
    close,
    startNewChat,
    send,
    retry,
    loadOlder,
    typed: () => typing.input(),
    stopTyping: () => typing.stop(),
    markRead,
    onConnected,
    onNewMessage,
    onUserTyping,
    onSupportJoined,
    onRoomUpdated,
    onRoomUnassigned,
    onMessagesRead,
    onQueueUpdated,
  };
});
