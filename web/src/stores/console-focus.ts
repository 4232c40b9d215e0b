import { defineStore } from "pinia";
import { ref } from "vue";
import type { SearchHit } from "@support-chat/contracts";
import { focusOf } from "../domain/notes.js";
import { useConsoleConversationsStore } from "./console-conversations.js";
import { useConsoleNotesStore } from "./console-notes.js";

/** What a conversation should scroll to and highlight; `at` tells one request from the next. */
export interface Focus {
  seq: number | null;
  noteId: string | null;
  at: number;
}

/** Older pages read at most to reach a result (50 messages each). */
const MAX_PAGES = 40;

/** Opening a conversation at a search result: its message loaded, scrolled to, highlighted. */
export const useConsoleFocusStore = defineStore("consoleFocus", () => {
  const conversations = useConsoleConversationsStore();
  const notes = useConsoleNotesStore();
  const focus = ref<Record<string, Focus>>({});
  let requests = 0;

  /** Reads older pages until the message with `seq` is held (or there is nothing older). */
  const loadUntil = async (roomId: string, seq: number) => {
    for (let i = 0; i < MAX_PAGES; i++) {
      const c = conversations.conversations[roomId];
      const first = c?.messages[0]?.seq;
      if (!c || first === undefined || first <= seq || !c.hasOlder) return;
      await conversations.loadOlder(roomId);
      if (conversations.conversations[roomId]?.messages[0]?.seq === first) return;
    }
  };

  const openAt = async (hit: SearchHit) => {
    await conversations.open(hit.roomId);
    await notes.load(hit.roomId);
    const target = focusOf(hit);
    if (target.seq !== null) await loadUntil(hit.roomId, target.seq);
    focus.value = { ...focus.value, [hit.roomId]: { ...target, at: ++requests } };
  };

  const of = (roomId: string): Focus | null => focus.value[roomId] ?? null;

  return { focus, openAt, of };
});
