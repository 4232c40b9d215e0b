import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { ServerEventPayload } from "@support-chat/contracts";
import {
  askNotificationAccess,
  beep,
  notificationAccess,
  notifyDesktop,
  type NotificationAccess,
} from "../services/alert-signals.js";
import { t } from "../i18n/text.js";
import { readStored, writeStored } from "../services/storage.js";

export interface ChatAlert {
  roomId: string;
  userName: string;
  message: string;
  at: string;
  seen: boolean;
}

const KEEP = 30;

/** New chat requests, made hard to miss: a live list, a beep, a desktop notification. */
export const useAlertsStore = defineStore("alerts", () => {
  const items = ref<ChatAlert[]>([]);
  const soundOn = ref(readStored("console-sound") !== "off");
  const desktop = ref<NotificationAccess>(notificationAccess());
  /** What clicking a desktop notification does (the console opens the chat). */
  let onOpen: ((roomId: string) => void) | null = null;

  const unseen = computed(() => items.value.filter((a) => !a.seen).length);

  const onNewChatRequest = (push: ServerEventPayload<"newChatRequest">) => {
    const alert: ChatAlert = {
      roomId: push.roomId,
      userName: push.userName,
      message: push.message,
      at: new Date().toISOString(),
      seen: false,
    };
    items.value = [alert, ...items.value.filter((a) => a.roomId !== push.roomId)].slice(0, KEEP);
    if (soundOn.value) beep();
    const title = t("console.alerts.desktopTitle", { name: push.userName });
    notifyDesktop(title, push.message, push.roomId, () => onOpen?.(push.roomId));
  };

  const markSeen = (roomId: string) => {
    items.value = items.value.map((a) => (a.roomId === roomId ? { ...a, seen: true } : a));
  };

  const clear = () => {
    items.value = [];
  };

  const toggleSound = () => {
    soundOn.value = !soundOn.value;
    writeStored("console-sound", soundOn.value ? "on" : "off");
    if (soundOn.value) beep();
  };

  const enableDesktop = async () => {
    desktop.value = await askNotificationAccess();
  };

  const whenOpened = (handler: (roomId: string) => void) => {
    onOpen = handler;
  };

  return {
    items,
    soundOn,
    desktop,
    unseen,
    onNewChatRequest,
    markSeen,
    clear,
    toggleSound,
    enableDesktop,
    whenOpened,
  };
});
