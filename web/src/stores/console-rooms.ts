import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { ChatRoom, ServerEventPayload } from "@support-chat/contracts";
import type { MessageKey } from "../i18n/text.js";
import { api } from "../services/api.js";
import { errorMessage } from "../services/errors.js";
import { useSessionStore } from "./session.js";

export type RoomFilter = "mine" | "queue" | "all" | "closed";
export const ROOM_FILTERS: readonly { id: RoomFilter; label: MessageKey }[] = [
  { id: "mine", label: "console.rooms.filter.mine" },
  { id: "queue", label: "console.rooms.filter.queue" },
  { id: "all", label: "console.rooms.filter.all" },
  { id: "closed", label: "console.rooms.filter.closed" },
];

/**
 * Other agents' rooms get no push for every message (only a room's own agent and customer do;
 * every agent gets a room when it waits or moves between lists), so while the "All" list is
 * shown it is read again this often.
 */
export const OTHERS_ROOMS_REFRESH_MS = 30_000;

const activity = (room: ChatRoom) => Date.parse(room.lastMessageAt ?? room.createdAt);

/** Waiting rooms first, longest waiting first; then the most recently active. */
const byUrgency = (a: ChatRoom, b: ChatRoom): number => {
  if (a.status === "waiting" && b.status === "waiting") {
    return Date.parse(a.createdAt) - Date.parse(b.createdAt);
  }
  if (a.status === "waiting") return -1;
  if (b.status === "waiting") return 1;
  return activity(b) - activity(a);
};

/** The console's sidebar: every room agents can see, kept live by pushes. */
export const useConsoleRoomsStore = defineStore("consoleRooms", () => {
  const session = useSessionStore();
  const rooms = ref<Record<string, ChatRoom>>({});
  const filter = ref<RoomFilter>("all");
  const loading = ref(false);
  const error = ref<string | null>(null);
  let closedLoaded = false;

  /** Keeps the newest snapshot of each room; a late, older one changes nothing. */
  const upsert = (room: ChatRoom) => {
    const known = rooms.value[room.id];
    if (known && Date.parse(known.updatedAt) > Date.parse(room.updatedAt)) return;
    if (known && known.lastSeq > room.lastSeq) return;
    rooms.value = { ...rooms.value, [room.id]: room };
  };

  const isMine = (room: ChatRoom) =>
    room.status === "open" && room.supportAgentId === session.user?.id;

  const matches = (room: ChatRoom, which: RoomFilter): boolean => {
    switch (which) {
      case "mine":
        return isMine(room);
      case "queue":
        return room.status === "waiting";
      case "all":
        return room.status !== "closed";
      case "closed":
        return room.status === "closed";
    }
    return false;
  };

  const list = computed(() => Object.values(rooms.value));
  const visible = computed(() =>
    list.value.filter((r) => matches(r, filter.value)).sort(byUrgency),
  );
  const counts = computed(() => ({
    mine: list.value.filter((r) => matches(r, "mine")).length,
    queue: list.value.filter((r) => matches(r, "queue")).length,
    all: list.value.filter((r) => matches(r, "all")).length,
    closed: list.value.filter((r) => matches(r, "closed")).length,
  }));

  const fetchStatuses = async (statuses: ("waiting" | "open" | "closed")[]) => {
    loading.value = true;
    try {
      for (const room of await api.supportRooms(statuses)) upsert(room);
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  };

  let othersTimer: ReturnType<typeof setInterval> | undefined;
  /** Reads the active rooms again now and then while other agents' rooms are on screen. */
  const followOthers = (on: boolean) => {
    if (on && !othersTimer) {
      othersTimer = setInterval(
        () => void fetchStatuses(["waiting", "open"]),
        OTHERS_ROOMS_REFRESH_MS,
      );
    } else if (!on && othersTimer) {
      clearInterval(othersTimer);
      othersTimer = undefined;
    }
  };
  /** The console is closed: nothing to keep fresh. */
  const stopFollowing = () => followOthers(false);

  /** Loads the active rooms (and the closed ones once they are asked for). */
  const load = async () => {
    followOthers(filter.value === "all");
    await fetchStatuses(["waiting", "open"]);
    if (closedLoaded) await fetchStatuses(["closed"]);
  };

  const setFilter = async (next: RoomFilter) => {
    const showsOthers = next === "all" && filter.value !== "all";
    filter.value = next;
    followOthers(next === "all");
    // Other agents' rooms may have moved on since they were last read.
    if (showsOthers) await fetchStatuses(["waiting", "open"]);
    if (next === "closed" && !closedLoaded) {
      closedLoaded = true;
      await fetchStatuses(["closed"]);
    }
  };

  const refresh = async (roomId: string) => {
    try {
      upsert(await api.room(roomId));
    } catch (e) {
      error.value = errorMessage(e);
    }
  };

  const byId = (roomId: string): ChatRoom | undefined => rooms.value[roomId];

  // ---- pushed from the server ----

  const onRoomChanged = (push: { room: ChatRoom }) => upsert(push.room);

  const onNewChatRequest = async (push: ServerEventPayload<"newChatRequest">) => {
    if (!rooms.value[push.roomId]) await refresh(push.roomId);
  };

  const onRoomUnassigned = (push: ServerEventPayload<"roomUnassigned">) => refresh(push.roomId);

  /** A message in a room this agent has open: the preview follows it at once. */
  const onNewMessage = (push: ServerEventPayload<"newMessage">) => {
    const known = rooms.value[push.roomId];
    if (!known || known.lastSeq >= push.seq) return;
    rooms.value = {
      ...rooms.value,
      [push.roomId]: {
        ...known,
        lastMessage: push.message,
        lastMessageAt: push.createdAt,
        lastSeq: push.seq,
      },
    };
  };

  /** The customer rated a room: shown at once, whatever the room update that follows says. */
  const onRoomRated = (push: ServerEventPayload<"roomRated">) => {
    const known = rooms.value[push.roomId];
    if (!known) return void refresh(push.roomId);
    const { score, comment, ratedAt } = push;
    const rating = { score, comment, ratedAt };
    rooms.value = { ...rooms.value, [push.roomId]: { ...known, rating } };
  };

  return {
    rooms,
    filter,
    loading,
    error,
    visible,
    counts,
    load,
    stopFollowing,
    setFilter,
    refresh,
    byId,
    isMine,
    upsert,
    onRoomChanged,
    onNewChatRequest,
    onRoomUnassigned,
    onNewMessage,
    onRoomRated,
  };
});
