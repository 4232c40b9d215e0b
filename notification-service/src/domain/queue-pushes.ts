import { socketRooms, type QueueSnapshot, type ServerEventPayload } from "@support-chat/contracts";
import { push, type Push } from "./pushes.js";

type QueueFigures = ServerEventPayload<"queueUpdated">;

/** What a waiting room's customer was last told, and when. */
export type QueueNotice = Readonly<{ customerId: string; figures: QueueFigures; pushedAt: number }>;

/** roomId → the last notice pushed for it; only rooms that are waiting as far as we know. */
export type QueueMemory = ReadonlyMap<string, QueueNotice>;

export const emptyQueueMemory = (): QueueMemory => new Map();

/**
 * The assignment service re-broadcasts the whole queue every few seconds. Unchanged figures
 * are pushed again only this often, so a customer who has just connected learns where they
 * stand without every tab being told the same thing every few seconds.
 */
export const QUEUE_REPUSH_MS = 10_000;

const sameFigures = (a: QueueFigures, b: QueueFigures): boolean =>
  a.position === b.position &&
  a.estimatedWaitSeconds === b.estimatedWaitSeconds &&
  a.agentsOnline === b.agentsOnline;

const toCustomer = (roomId: string, customerId: string, figures: QueueFigures): Push =>
  push([socketRooms.room(roomId), socketRooms.user(customerId)], "queueUpdated", figures);

/**
 * What to push for a queue snapshot, given what was pushed before: every waiting room whose
 * figures changed (or were last pushed `repushMs` ago), and a final `position: null` for each
 * room that is no longer waiting. Returns the memory to keep once the pushes have gone out.
 */
export const queuePushes = (
  memory: QueueMemory,
  snapshot: QueueSnapshot,
  now: number,
  repushMs: number = QUEUE_REPUSH_MS,
): { pushes: Push[]; memory: QueueMemory } => {
  const pushes: Push[] = [];
  const next = new Map<string, QueueNotice>();
  for (const entry of snapshot.rooms) {
    const figures: QueueFigures = {
      roomId: entry.roomId,
      position: entry.position,
      estimatedWaitSeconds: entry.estimatedWaitSeconds,
      agentsOnline: snapshot.agentsOnline,
    };
    const last = memory.get(entry.roomId);
    const fresh =
      last !== undefined && sameFigures(last.figures, figures) && now - last.pushedAt < repushMs;
    if (fresh) {
      next.set(entry.roomId, last);
      continue;
    }
    pushes.push(toCustomer(entry.roomId, entry.customerId, figures));
    next.set(entry.roomId, { customerId: entry.customerId, figures, pushedAt: now });
  }
  for (const [roomId, last] of memory) {
    if (next.has(roomId)) continue;
    pushes.push(
      toCustomer(roomId, last.customerId, {
        roomId,
        position: null,
        estimatedWaitSeconds: null,
        agentsOnline: snapshot.agentsOnline,
      }),
    );
  }
  return { pushes, memory: next };
};

/** An agent's presence, status, load or capacity changed: every console shows it. */
export const agentPush = (update: ServerEventPayload<"agentUpdated">): Push =>
  push([socketRooms.agents], "agentUpdated", update);
