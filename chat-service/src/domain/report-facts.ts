import type { RoomEventBody } from "@support-chat/contracts";

/** A stretch of time one agent held a room: from an assignment to the next change of hands. */
export type AgentSpan = Readonly<{
  agentId: string;
  agentName: string;
  from: Date;
  /** Null while the agent still holds the room. */
  until: Date | null;
}>;

/**
 * What the reports need to know about one room, folded from its events. Times are the
 * events' own, so replaying the log gives the same facts.
 */
export type RoomFacts = Readonly<{
  roomId: string;
  customerId: string;
  openedAt: Date;
  firstAssignedAt: Date | null;
  /** The first message posted by support staff, and who posted it. */
  firstResponseAt: Date | null;
  firstResponderId: string | null;
  firstResponderName: string | null;
  closedAt: Date | null;
  /** The agent who held the room last (a requeue does not forget them): closes and ratings count for them. */
  lastAgentId: string | null;
  rating: number | null;
  ratedAt: Date | null;
  spans: readonly AgentSpan[];
}>;

/** The spans with the one still open (if any) ended at `at`. */
const endOpenSpan = (spans: readonly AgentSpan[], at: Date): AgentSpan[] =>
  spans.map((span) => (span.until === null ? { ...span, until: at } : span));

/**
 * Folds one event, recorded at `at`, into the room's facts. Pure; undefined until the room is
 * opened. Events that tell the reports nothing return the facts unchanged (the same object),
 * so a caller can skip writing them.
 */
export const evolveFacts = (
  facts: RoomFacts | undefined,
  event: RoomEventBody,
  at: Date,
): RoomFacts | undefined => {
  if (event.type === "RoomOpened") {
    return {
      roomId: event.data.roomId,
      customerId: event.data.customerId,
      openedAt: at,
      firstAssignedAt: null,
      firstResponseAt: null,
      firstResponderId: null,
      firstResponderName: null,
      closedAt: null,
      lastAgentId: null,
      rating: null,
      ratedAt: null,
      spans: [],
    };
  }
  if (!facts) return facts;
  switch (event.type) {
    case "AgentAssigned": {
      const { agentId, agentName } = event.data;
      return {
        ...facts,
        firstAssignedAt: facts.firstAssignedAt ?? at,
        lastAgentId: agentId,
        spans: [...endOpenSpan(facts.spans, at), { agentId, agentName, from: at, until: null }],
      };
    }
    case "RoomRequeued":
      return { ...facts, spans: endOpenSpan(facts.spans, at) };
    case "RoomClosed":
      return facts.closedAt
        ? facts
        : { ...facts, closedAt: at, spans: endOpenSpan(facts.spans, at) };
    case "MessagePosted":
      if (!event.data.isFromSupport || facts.firstResponseAt) return facts;
      return {
        ...facts,
        firstResponseAt: at,
        firstResponderId: event.data.senderId,
        firstResponderName: event.data.senderName,
      };
    case "RoomRated":
      // A customer who rates again changes their mind: the latest rating counts.
      return { ...facts, rating: event.data.score, ratedAt: at };
    default:
      return facts;
  }
};

/** Whether an event can change a room's facts at all (so the store needs to look). */
export const mayChangeFacts = (event: RoomEventBody): boolean => {
  switch (event.type) {
    case "RoomOpened":
    case "AgentAssigned":
    case "RoomRequeued":
    case "RoomClosed":
    case "RoomRated":
      return true;
    case "MessagePosted":
      return event.data.isFromSupport;
    default:
      return false;
  }
};
