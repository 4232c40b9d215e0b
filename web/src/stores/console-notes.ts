import { defineStore } from "pinia";
import { ref } from "vue";
import { normalizeNoteText, type RoomNote } from "@support-chat/contracts";
import { mergeNotes } from "../domain/notes.js";
import { agentToolsApi } from "../services/agent-tools-api.js";
import { errorMessage } from "../services/errors.js";
import { newClientMessageId } from "../services/ids.js";

/** Private notes of the rooms open in the console, kept live by `noteAdded` pushes. */
export const useConsoleNotesStore = defineStore("consoleNotes", () => {
  const byRoom = ref<Record<string, RoomNote[]>>({});
  const errors = ref<Record<string, string | null>>({});
  const saving = ref<Record<string, boolean>>({});

  const notesOf = (roomId: string): RoomNote[] => byRoom.value[roomId] ?? [];

  const merge = (roomId: string, incoming: readonly RoomNote[]) => {
    byRoom.value = { ...byRoom.value, [roomId]: mergeNotes(notesOf(roomId), incoming) };
  };

  const setError = (roomId: string, message: string | null) => {
    errors.value = { ...errors.value, [roomId]: message };
  };

  const load = async (roomId: string) => {
    try {
      merge(roomId, await agentToolsApi.notes(roomId));
      setError(roomId, null);
    } catch (e) {
      setError(roomId, errorMessage(e));
    }
  };

  /** Adds a note; resolves true once it is stored (a retry of the same text reuses its key). */
  const add = async (roomId: string, raw: string): Promise<boolean> => {
    let text: string;
    try {
      text = normalizeNoteText(raw);
    } catch (e) {
      setError(roomId, errorMessage(e));
      return false;
    }
    saving.value = { ...saving.value, [roomId]: true };
    try {
      merge(roomId, [await agentToolsApi.addNote(roomId, text, newClientMessageId())]);
      setError(roomId, null);
      return true;
    } catch (e) {
      setError(roomId, errorMessage(e));
      return false;
    } finally {
      saving.value = { ...saving.value, [roomId]: false };
    }
  };

  /** Pushed to support staff only; kept for the rooms whose notes were loaded. */
  const onNoteAdded = (note: RoomNote) => {
    if (byRoom.value[note.roomId]) merge(note.roomId, [note]);
  };

  /** Pushes missed while disconnected are read again for every room whose notes are shown. */
  const onConnected = () => Promise.all(Object.keys(byRoom.value).map(load));

  return { byRoom, errors, saving, notesOf, load, add, onNoteAdded, onConnected };
});
