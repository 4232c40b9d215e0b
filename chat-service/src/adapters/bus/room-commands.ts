import type { RequestEnvelope } from "@support-chat/contracts";
import type { RoomCommand, RoomDecider } from "../../domain/decide.js";
import type { AppendContext, CapacityLimit, EventStore } from "../store/event-store.js";

/** What an append records about the request behind it: who, and which browser request. */
export const contextOf = (request: RequestEnvelope<unknown>, now: Date): AppendContext => ({
  actor: request.actor,
  correlationId: request.correlationId,
  causationId: request.causationId ?? null,
  now,
});

export type RoomCommandDeps = { store: EventStore; decider: RoomDecider; now: () => Date };

/**
 * Decides one command for a room and appends what it decided; returns the room state after it.
 * `capacity` holds an agent to their limit when the command gives them the room.
 */
export const runRoomCommand = (
  deps: RoomCommandDeps,
  request: RequestEnvelope<unknown>,
  roomId: string,
  build: (metadata: RoomCommand["metadata"]) => RoomCommand,
  capacity?: CapacityLimit,
) => {
  const ctx = contextOf(request, deps.now());
  const command = build({ actor: request.actor, now: ctx.now });
  return deps.store.handle(
    roomId,
    (state) => {
      const events = deps.decider.decide(command, state);
      return { events, capacity: events.length > 0 ? capacity : undefined };
    },
    ctx,
  );
};
