import {
  attachmentSummary,
  type ChatRoom,
  type RecordedRoomEvent,
  type RoomViews,
} from "@support-chat/contracts";

/** Both sides' views of a room as they were right after the event at `version`. */
export type KnownViews = Readonly<{ views: RoomViews; version: number }>;

type Change = (room: ChatRoom, side: "customer" | "support") => ChatRoom;

/**
 * How one event changes both views, exactly as the chat service's projection changes the
 * room; undefined when the event's effect cannot be told from the event alone (then the
 * views are read from the chat service). Event types this does not know about are read too,
 * so a new kind of event never leaves a view stale.
 */
const changeOf = (event: RecordedRoomEvent, before: RoomViews): Change | undefined => {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case "MessagePosted": {
      const { data } = event;
      // A message is unread for the side that did not write it.
      const unreadFor = data.isFromSupport ? "customer" : "support";
      return (room, side) => ({
        ...room,
        lastMessage: data.message || attachmentSummary(data.attachments ?? []),
        lastSeq: data.seq,
        lastMessageAt: at,
        updatedAt: at,
        unreadCount: room.unreadCount + (side === unreadFor ? 1 : 0),
      });
    }
    case "MessagesRead": {
      const { side: reader, upToSeq } = event.data;
      // Read to the end, nothing is left unread; read to the middle, only the log can tell.
      if (upToSeq < before[reader].lastSeq) return undefined;
      return (room, side) => ({
        ...room,
        updatedAt: at,
        ...(side === reader && { unreadCount: 0 }),
      });
    }
    case "AgentAssigned": {
      const { agentId, agentName } = event.data;
      return (room) => ({
        ...room,
        status: "open",
        supportAgentId: agentId,
        supportAgentName: agentName,
        updatedAt: at,
      });
    }
    case "RoomRequeued":
      return (room) => ({
        ...room,
        status: "waiting",
        supportAgentId: null,
        supportAgentName: null,
        updatedAt: at,
      });
    case "RoomClosed":
      return (room) => ({ ...room, status: "closed", closedAt: at, updatedAt: at });
    default:
      return undefined;
  }
};

/**
 * The views right after `event`, from the views known before it; undefined when they must be
 * read: nothing is known of the room, an event in between was handled elsewhere (another
 * replica), or the event's effect cannot be derived.
 */
export const viewsAfter = (
  known: KnownViews | undefined,
  event: RecordedRoomEvent,
): KnownViews | undefined => {
  if (!known) return undefined;
  const position = event.metadata.streamPosition;
  // Already reflected: an event redelivered, or views read after later events committed.
  if (position <= known.version) return known;
  if (position !== known.version + 1) return undefined;
  const change = changeOf(event, known.views);
  if (!change) return undefined;
  return {
    version: position,
    views: {
      customer: change(known.views.customer, "customer"),
      support: change(known.views.support, "support"),
    },
  };
};

/**
 * Views read from the chat service while handling `event`. They include the event (the
 * projection commits with it) and maybe later ones. An event that does not touch the room row
 * leaves its version behind the event's position; the views are current for it all the same.
 */
export const readViews = (views: RoomViews, event: RecordedRoomEvent): KnownViews => ({
  views,
  version: Math.max(views.version ?? 0, event.metadata.streamPosition),
});
