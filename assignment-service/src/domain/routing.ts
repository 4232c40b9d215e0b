import type { RoutingPolicy } from "@support-chat/contracts";

/** An agent the router may consider: available, online, with a capacity above zero. */
export type Candidate = Readonly<{
  agentId: string;
  load: number;
  capacity: number;
  lastAssignedAt: number | null;
}>;

export type Proposal = Readonly<{ roomId: string; agentId: string }>;

type Pick = (candidates: readonly Seat[]) => Seat | undefined;

/** A candidate as the batch goes on: load grows, and `turn` records picks within this batch. */
type Seat = Candidate & Readonly<{ turn: number }>;

const hasRoom = (s: Seat): boolean => s.load < s.capacity;

/** Assigned longest ago first; never assigned before anyone; then agentId for determinism. */
const longestIdle = (a: Seat, b: Seat): number => {
  if (a.turn !== b.turn) return a.turn - b.turn;
  const la = a.lastAssignedAt ?? -Infinity;
  const lb = b.lastAssignedAt ?? -Infinity;
  if (la !== lb) return la < lb ? -1 : 1;
  return a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0;
};

const leastLoaded: Pick = (seats) =>
  seats
    .filter(hasRoom)
    .sort((a, b) => a.load - b.load || longestIdle(a, b))
    .at(0);

const roundRobin: Pick = (seats) => seats.filter(hasRoom).sort(longestIdle).at(0);

const PICKS: Record<Exclude<RoutingPolicy, "manual">, Pick> = {
  "least-loaded": leastLoaded,
  "round-robin": roundRobin,
};

/**
 * Proposes an agent for as many waiting rooms as possible, in queue order. Pure: the same
 * queue and agents always give the same proposals. Under `manual` nobody is auto-assigned.
 */
export const route = (
  queue: readonly { roomId: string }[],
  candidates: readonly Candidate[],
  policy: RoutingPolicy,
): Proposal[] => {
  if (policy === "manual") return [];
  const pick = PICKS[policy];
  const seats = new Map<string, Seat>(candidates.map((c) => [c.agentId, { ...c, turn: 0 }]));
  const proposals: Proposal[] = [];
  for (const room of queue) {
    const chosen = pick([...seats.values()]);
    // Nobody has room for this one, so nobody has room for any room behind it either.
    if (chosen === undefined) break;
    proposals.push({ roomId: room.roomId, agentId: chosen.agentId });
    seats.set(chosen.agentId, { ...chosen, load: chosen.load + 1, turn: proposals.length });
  }
  return proposals;
};
