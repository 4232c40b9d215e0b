import { defineStore } from "pinia";
import { computed, ref, watch } from "vue";
import type { AttachmentDescriptor, ChatRoom, ServerEventPayload } from "@support-chat/contracts";
import {
  emptyConversation,
  unreadCount,
  withRoomSnapshot,
  type Conversation,
} from "../domain/conversation.js";
import { timelineItems } from "../domain/timeline.js";
import { api } from "../services/api.js";
import { errorMessage } from "../services/errors.js";
import { socketService } from "../services/socket.js";
import { readStoredJson, writeStored } from "../services/storage.js";
import { createTypingSender, TYPING_SHOWN_MS, type TypingSender } from "../services/typing.js";
import { pageVisible } from "../services/visibility.js";
import { useConsoleRoomsStore } from "./console-rooms.js";
import { conversationSync } from "./conversation-sync.js";
import { useSessionStore } from "./session.js";

/**
 * The conversations an agent has open in the console (several at once, one in front), with a
 * draft kept per chat.
 */
export const useConsoleConversationsStore = defineStore("consoleConversations", () => {
  const session = useSessionStore();
  const rooms = useConsoleRoomsStore();
  const key = (name: string) => `${name}:${session.user?.id ?? "anonymous"}`;

  const conversations = ref<Record<string, Conversation>>({});
  const openIds = ref<string[]>(readStoredJson<string[]>(key("console-open")) ?? []);
  const activeId = ref<string | null>(openIds.value[0] ?? null);
  const drafts = ref<Record<string, string>>(readStoredJson(key("console-drafts")) ?? {});
  const typingIn = ref<Record<string, string>>({});
  const errors = ref<Record<string, string>>({});
  const loadingOlder = ref<Record<string, boolean>>({});

  watch(openIds, (ids) => writeStored(key("console-open"), JSON.stringify(ids)));
  watch(drafts, (all) => writeStored(key("console-drafts"), JSON.stringify(all)), { deep: true });

  const setError = (roomId: string, message: string | null) => {
    const { [roomId]: _dropped, ...rest } = errors.value;
    errors.value = message === null ? rest : { ...rest, [roomId]: message };
  };

  const sync = conversationSync({
    viewer: "support",
    get: (roomId) => conversations.value[roomId],
    set: (c) => {
      if (openIds.value.includes(c.roomId)) {
        conversations.value = { ...conversations.value, [c.roomId]: c };
      }
    },
    onError: (roomId, message) => setError(roomId, message),
  });

  const active = computed(() => (activeId.value ? conversations.value[activeId.value] : undefined));
  const itemsOf = (roomId: string) => {
    const c = conversations.value[roomId];
    return c ? timelineItems(c, session.user?.id ?? null) : [];
  };
  /** Unread for the sidebar: live for open chats, the server's count for the others. */
  const unreadOf = (room: ChatRoom): number => {
    const c = conversations.value[room.id];
    return c ? unreadCount(c, "support") : room.unreadCount;
  };

  const join = async (roomId: string) => {
    if (!socketService.connected) return;
    try {
      const room = await socketService.request("joinRoom", { roomId });
      rooms.upsert(room);
      sync.applyRoom(room);
    } catch (e) {
      setError(roomId, errorMessage(e));
    }
  };

  /** Opening a waiting chat takes it (per the seed); then its history is shown. */
  const open = async (roomId: string) => {
    if (!openIds.value.includes(roomId)) openIds.value = [...openIds.value, roomId];
    activeId.value = roomId;
    setError(roomId, null);
    let room = rooms.byId(roomId);
    if (!conversations.value[roomId]) {
      const fresh = emptyConversation(roomId);
      conversations.value = {
        ...conversations.value,
        [roomId]: room ? withRoomSnapshot(fresh, room) : fresh,
      };
    }
    try {
      room ??= await api.room(roomId);
      rooms.upsert(room);
      if (room.status === "waiting") rooms.upsert(await api.claim(roomId));
    } catch (e) {
      setError(roomId, errorMessage(e));
    }
    await join(roomId);
    if (!conversations.value[roomId]?.loaded) await sync.loadLatest(roomId);
  };

  const activate = (roomId: string) => {
    if (openIds.value.includes(roomId)) activeId.value = roomId;
  };

  /** Closes the tab (not the chat); the room stays in the list. */
  const closeTab = (roomId: string) => {
    const index = openIds.value.indexOf(roomId);
    if (index < 0) return;
    typers.get(roomId)?.stop();
    typers.delete(roomId);
    openIds.value = openIds.value.filter((id) => id !== roomId);
    const { [roomId]: _closed, ...rest } = conversations.value;
    conversations.value = rest;
    if (activeId.value === roomId) {
      activeId.value = openIds.value[Math.min(index, openIds.value.length - 1)] ?? null;
    }
    if (socketService.connected) {
      socketService.request("leaveRoom", { roomId }).catch(() => undefined);
    }
  };

  const setDraft = (roomId: string, text: string) => {
    drafts.value = { ...drafts.value, [roomId]: text };
  };

  /** Sends the chat's draft; the draft clears at once, the message shows as pending. */
  const send = async (roomId: string, attachments: AttachmentDescriptor[] = []): Promise<void> => {
    const queued = sync.send(roomId, drafts.value[roomId] ?? "", attachments);
    if ("error" in queued) {
      setError(roomId, queued.error);
      return;
    }
    setError(roomId, null);
    typers.get(roomId)?.stop();
    setDraft(roomId, "");
    await queued.delivered;
  };

  const retry = (roomId: string, clientMessageId: string) => sync.retry(roomId, clientMessageId);

  const loadOlder = async (roomId: string) => {
    if (loadingOlder.value[roomId]) return;
    loadingOlder.value = { ...loadingOlder.value, [roomId]: true };
    try {
      await sync.loadOlder(roomId);
    } finally {
      loadingOlder.value = { ...loadingOlder.value, [roomId]: false };
    }
  };

  const closeRoom = async (roomId: string) => {
    try {
      const room = await api.closeRoom(roomId);
      rooms.upsert(room);
      sync.applyRoom(room);
      setError(roomId, null);
    } catch (e) {
      setError(roomId, errorMessage(e));
    }
  };

  const transfer = async (roomId: string, agentId: string) => {
    try {
      rooms.upsert(await api.transfer(roomId, agentId));
      closeTab(roomId);
    } catch (e) {
      setError(roomId, errorMessage(e));
    }
  };

  const typers = new Map<string, TypingSender>();
  const typed = (roomId: string) => {
    let typer = typers.get(roomId);
    if (!typer) {
      typer = createTypingSender((isTyping) => {
        if (!socketService.connected) return;
        socketService.request("typing", { roomId, isTyping }).catch(() => undefined);
      });
      typers.set(roomId, typer);
    }
    typer.input();
  };

  const activeUnread = computed(() => (active.value ? unreadCount(active.value, "support") : 0));
  // The chat in front is being read while the page is visible.
  watch(
    [activeId, pageVisible, activeUnread],
    ([roomId, visible, count]) => {
      if (roomId && visible && count > 0) void sync.markRead(roomId);
    },
    { immediate: true },
  );

  // ---- pushed from the server ----

  /** On connecting again: rejoin every open chat, catch up by seq, send what waited. */
  const onConnected = async () => {
    await Promise.all(
      openIds.value.map(async (roomId) => {
        await join(roomId);
        await sync.catchUp(roomId);
        await sync.flushOutbox(roomId);
      }),
    );
  };

  /** Reopens the tabs kept from the last visit. */
  const restore = async () => {
    const ids = [...openIds.value];
    const front = activeId.value;
    for (const roomId of ids) await open(roomId);
    if (front) activeId.value = front;
  };

  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const clearTyping = (roomId: string) => {
    const { [roomId]: _gone, ...rest } = typingIn.value;
    typingIn.value = rest;
  };

  const onNewMessage = (push: ServerEventPayload<"newMessage">) => {
    if (!push.isFromSupport) clearTyping(push.roomId);
    sync.receivePushed(push);
  };

  const onUserTyping = (push: ServerEventPayload<"userTyping">) => {
    if (push.isFromSupport || !conversations.value[push.roomId]) return;
    clearTimeout(typingTimers.get(push.roomId));
    if (!push.isTyping) return clearTyping(push.roomId);
    typingIn.value = { ...typingIn.value, [push.roomId]: push.userName };
    typingTimers.set(
      push.roomId,
      setTimeout(() => clearTyping(push.roomId), TYPING_SHOWN_MS),
    );
  };

  const onRoomChanged = (push: { room: ChatRoom }) => sync.applyRoom(push.room);

  const onMessagesRead = (push: ServerEventPayload<"messagesRead">) =>
    sync.applyReadReceipt(push.roomId, push.side, push.upToSeq);

  return {
    conversations,
    openIds,
    activeId,
    active,
    drafts,
    typingIn,
    errors,
    loadingOlder,
    itemsOf,
    unreadOf,
    open,
    activate,
    closeTab,
    setDraft,
    send,
    retry,
    loadOlder,
    closeRoom,
    transfer,
    typed,
    restore,
    onConnected,
    onNewMessage,
    onUserTyping,
    onRoomChanged,
    onMessagesRead,
  };
});
