import type { ServerEventName, ServerEventPayload } from "@support-chat/contracts";
import type { useAgentsStore } from "../stores/agents.js";
import type { useAlertsStore } from "../stores/alerts.js";
import type { useConsoleNotesStore } from "../stores/console-notes.js";
import type { useCannedResponsesStore } from "../stores/canned-responses.js";
import type { useConnectionStore } from "../stores/connection.js";
import type { useConsoleConversationsStore } from "../stores/console-conversations.js";
import type { useConsoleRoomsStore } from "../stores/console-rooms.js";
import type { useWidgetStore } from "../stores/widget.js";
import type { SocketService } from "./socket.js";

/**
 * The one place where wire events become store actions. The widget bundle passes only the
 * widget's stores; the console passes its own. Types only are imported here, so a bundle
 * carries just the stores it hands in.
 */
export interface DispatchTargets {
  connection: ReturnType<typeof useConnectionStore>;
  widget?: ReturnType<typeof useWidgetStore>;
  rooms?: ReturnType<typeof useConsoleRoomsStore>;
  conversations?: ReturnType<typeof useConsoleConversationsStore>;
  agents?: ReturnType<typeof useAgentsStore>;
  alerts?: ReturnType<typeof useAlertsStore>;
  notes?: ReturnType<typeof useConsoleNotesStore>;
  cannedResponses?: ReturnType<typeof useCannedResponsesStore>;
}

type Handlers = { [K in ServerEventName]: (payload: ServerEventPayload<K>) => void };

/** Pushes cross the network: a malformed one is dropped rather than breaking the page. */
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

const hasRoomId = (value: unknown): boolean => isRecord(value) && typeof value.roomId === "string";
const hasRoom = (value: unknown): boolean =>
  isRecord(value) && isRecord(value.room) && typeof value.room.id === "string";

const wellFormed: { [K in ServerEventName]: (payload: unknown) => boolean } = {
  newMessage: (p) => hasRoomId(p) && isRecord(p) && typeof p.seq === "number",
  userTyping: hasRoomId,
  supportJoined: hasRoomId,
  newChatRequest: hasRoomId,
  roomUpdated: hasRoom,
  messagesRead: (p) => hasRoomId(p) && isRecord(p) && typeof p.upToSeq === "number",
  roomAssigned: hasRoom,
  roomUnassigned: hasRoomId,
  queueUpdated: hasRoomId,
  agentUpdated: (p) => isRecord(p) && isRecord(p.agent) && typeof p.agent.agentId === "string",
  noteAdded: (p) => hasRoomId(p) && isRecord(p) && typeof p.id === "string",
  roomRated: (p) => hasRoomId(p) && isRecord(p) && typeof p.score === "number",
  cannedResponseChanged: (p) =>
    isRecord(p) &&
    (p.change === "deleted"
      ? typeof p.id === "string" && typeof p.version === "number"
      : p.change === "saved" &&
        isRecord(p.response) &&
        typeof p.response.id === "string" &&
        typeof p.response.version === "number"),
};

export const dispatchTable = (t: DispatchTargets): Handlers => ({
  newMessage: (p) => {
    t.widget?.onNewMessage(p);
    t.rooms?.onNewMessage(p);
    t.conversations?.onNewMessage(p);
  },
  userTyping: (p) => {
    t.widget?.onUserTyping(p);
    t.conversations?.onUserTyping(p);
  },
  supportJoined: (p) => t.widget?.onSupportJoined(p),
  newChatRequest: (p) => {
    void t.rooms?.onNewChatRequest(p);
    t.alerts?.onNewChatRequest(p);
  },
  roomUpdated: (p) => {
    t.widget?.onRoomUpdated(p.room);
    t.rooms?.onRoomChanged(p);
    t.conversations?.onRoomChanged(p);
  },
  messagesRead: (p) => {
    t.widget?.onMessagesRead(p);
    t.conversations?.onMessagesRead(p);
  },
  roomAssigned: (p) => {
    t.widget?.onRoomUpdated(p.room);
    t.rooms?.onRoomChanged(p);
    t.conversations?.onRoomChanged(p);
  },
  roomUnassigned: (p) => {
    void t.widget?.onRoomUnassigned(p);
    void t.rooms?.onRoomUnassigned(p);
  },
  queueUpdated: (p) => t.widget?.onQueueUpdated(p),
  agentUpdated: (p) => t.agents?.onAgentUpdated(p),
  noteAdded: (p) => t.notes?.onNoteAdded(p),
  roomRated: (p) => t.rooms?.onRoomRated(p),
  cannedResponseChanged: (p) => t.cannedResponses?.onChanged(p),
});

/** Subscribes the stores to the socket; returns the function that unsubscribes them. */
export const installDispatcher = (
  socket: Pick<SocketService, "on" | "onPhase">,
  targets: DispatchTargets,
): (() => void) => {
  const table = dispatchTable(targets);
  const names = Object.keys(table) as ServerEventName[];
  const offs = names.map((name) =>
    socket.on(name, (payload: unknown) => {
      if (!wellFormed[name](payload)) return;
      (table[name] as (p: unknown) => void)(payload);
    }),
  );
  offs.push(
    socket.onPhase((change) => {
      targets.connection.applyPhase(change);
      if (change.phase !== "connected") return;
      void targets.widget?.onConnected();
      void targets.conversations?.onConnected();
      void targets.notes?.onConnected();
      // Rooms and agents may have changed while we were away: read them again.
      if (change.resumed) {
        void targets.rooms?.load();
        void targets.agents?.load();
        void targets.cannedResponses?.load();
      }
    }),
  );
  return () => offs.forEach((off) => off());
};
