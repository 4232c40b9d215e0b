import {
  attachmentSummary,
  socketRooms,
  type RecordedRoomEvent,
  type RoomEventOf,
  type RoomViews,
  type ServerEventName,
  type ServerEventPayload,
} from "@support-chat/contracts";
import { ratingPushes } from "./feedback-pushes.js";
import { supportOnlyPushes } from "./support-pushes.js";

/** One socket push: an event and its payload, to every socket in any of the rooms (once each). */
export type Push = {
  [K in ServerEventName]: Readonly<{ rooms: string[]; event: K; payload: ServerEventPayload<K> }>;
}[ServerEventName];

/** Builds one push, keeping the event and its payload type together. */
export const push = <K extends ServerEventName>(
  rooms: string[],
  event: K,
  payload: ServerEventPayload<K>,
): Push => ({ rooms, event, payload }) as Push;

type Recorded<T extends RecordedRoomEvent["type"]> = RoomEventOf<T> & {
  metadata: RecordedRoomEvent["metadata"];
};

/** Whoever follows the conversation: sockets in the room and every tab of its customer. */
const conversation = (roomId: string, views: RoomViews): string[] => [
  socketRooms.room(roomId),
  socketRooms.user(views.customer.userId),
];

const messagePosted = (event: Recorded<"MessagePosted">, views: RoomViews): Push[] => {
  const { data, metadata } = event;
  const pushes = [
    push(conversation(data.roomId, views), "newMessage", {
      id: data.messageId,
      chatRoomId: data.roomId,
      roomId: data.roomId,
      senderId: data.senderId,
      senderName: data.senderName,
      senderRole: data.senderRole,
      message: data.message,
      isRead: false,
      isFromSupport: data.isFromSupport,
      createdAt: metadata.occurredAt,
      seq: data.seq,
      clientMessageId: data.clientMessageId,
      attachments: data.attachments ?? [],
    }),
  ];
  // The first customer message is what turns a room into a request worth an agent's attention.
  if (!data.isFromSupport && data.seq === 1) {
    pushes.push(
      push([socketRooms.agents], "newChatRequest", {
        roomId: data.roomId,
        userId: data.senderId,
        userName: data.senderName,
        message: data.message || attachmentSummary(data.attachments ?? []),
        seq: data.seq,
      }),
    );
  }
  return pushes;
};

const agentAssigned = ({ data }: Recorded<"AgentAssigned">, views: RoomViews): Push[] => {
  const pushes = [
    push(conversation(data.roomId, views), "supportJoined", {
      roomId: data.roomId,
      agentId: data.agentId,
      agentName: data.agentName,
      message: `${data.agentName} joined the chat`,
    }),
    push([socketRooms.user(data.agentId)], "roomAssigned", { room: views.support }),
  ];
  if (data.previousAgentId !== null && data.previousAgentId !== data.agentId) {
    pushes.push(
      push([socketRooms.user(data.previousAgentId)], "roomUnassigned", {
        roomId: data.roomId,
        reason: "transferred",
      }),
    );
  }
  return pushes;
};

const roomRequeued = ({ data }: Recorded<"RoomRequeued">): Push[] => [
  push([socketRooms.user(data.previousAgentId)], "roomUnassigned", {
    roomId: data.roomId,
    reason: data.reason,
  }),
];

const roomClosed = ({ data }: Recorded<"RoomClosed">, views: RoomViews): Push[] => {
  const agentId = views.support.supportAgentId;
  if (agentId === null) return [];
  return [
    push([socketRooms.user(agentId)], "roomUnassigned", { roomId: data.roomId, reason: "closed" }),
  ];
};

const messagesRead = ({ data }: Recorded<"MessagesRead">, views: RoomViews): Push[] => [
  push(conversation(data.roomId, views), "messagesRead", {
    roomId: data.roomId,
    side: data.side,
    readerId: data.readerId,
    upToSeq: data.upToSeq,
  }),
];

const eventPushes = (event: RecordedRoomEvent, views: RoomViews): Push[] => {
  switch (event.type) {
    case "RoomOpened":
      return [];
    case "MessagePosted":
      return messagePosted(event, views);
    case "AgentAssigned":
      return agentAssigned(event, views);
    case "RoomRequeued":
      return roomRequeued(event);
    case "RoomClosed":
      return roomClosed(event, views);
    case "MessagesRead":
      return messagesRead(event, views);
    // Support staff only: see supportOnlyPushes.
    case "NoteAdded":
    case "LabelAdded":
    case "LabelRemoved":
      return [];
    // Nothing to show until a message refers to the attachment.
    case "AttachmentUploaded":
      return [];
    case "RoomRated":
      return ratingPushes(event);
    // Transcripts go by e-mail (adapters/mail); the room update below is all anyone sees.
    case "TranscriptRequested":
    case "TranscriptAtCloseChanged":
      return [];
    default: {
      const unhandled: never = event;
      throw new Error(`no pushes defined for ${JSON.stringify(unhandled)}`);
    }
  }
};

/** Events after which a room sits in another of the agents' lists (queue, mine, closed). */
const MOVES_BETWEEN_LISTS: ReadonlySet<RecordedRoomEvent["type"]> = new Set([
  "RoomOpened",
  "AgentAssigned",
  "RoomRequeued",
  "RoomClosed",
]);

/**
 * Whether every agent needs the support view: a waiting room is in every agent's queue, and a
 * room moving between lists changes every agent's lists. Any other change of a room with an
 * agent is that agent's business (and the customer's); the console reads other agents' rooms
 * again while it shows them (console-rooms.ts), so a message costs two room updates, not one per
 * agent.
 */
const forEveryAgent = (event: RecordedRoomEvent, views: RoomViews): boolean =>
  views.support.status === "waiting" ||
  views.support.supportAgentId === null ||
  MOVES_BETWEEN_LISTS.has(event.type);

/** Status, unread count and last message, each side seeing the room from its own side. */
const roomUpdates = (event: RecordedRoomEvent, views: RoomViews): Push[] => [
  push(
    forEveryAgent(event, views)
      ? [socketRooms.agents]
      : [socketRooms.user(views.support.supportAgentId!)],
    "roomUpdated",
    { room: views.support },
  ),
  push([socketRooms.user(views.customer.userId)], "roomUpdated", { room: views.customer }),
];

/**
 * What people should see after an event: the event's own pushes, then the room as it is now.
 * `views` is the room read after the event, so the room updates carry the latest state even
 * when a push is delayed.
 */
export const pushesFor = (event: RecordedRoomEvent, views: RoomViews): Push[] =>
  supportOnlyPushes(event, views) ?? [...eventPushes(event, views), ...roomUpdates(event, views)];

/** The room an event belongs to: the unit whose pushes must keep their order. */
export const roomOf = (event: RecordedRoomEvent): string => event.data.roomId;
