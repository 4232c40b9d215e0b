/**
 * Recent assignments of waiting rooms (routed or claimed), for estimating how long the next
 * customers will wait. Keyed by event id so a redelivered event is counted once.
 */
export type Assignment = Readonly<{ eventId: string; at: number }>;
export type AssignmentLog = readonly Assignment[];

export const ETA_SAMPLES = 20;
export const ETA_WINDOW_MS = 30 * 60_000;

export const recordAssignment = (log: AssignmentLog, assignment: Assignment): AssignmentLog => {
  if (log.some((a) => a.eventId === assignment.eventId)) return log;
  return [...log, assignment].sort((a, b) => a.at - b.at).slice(-ETA_SAMPLES);
};

/**
 * The mean time between the recent assignments (the last ETA_SAMPLES within ETA_WINDOW_MS);
 * null with fewer than two of them, since one assignment says nothing about a rate.
 */
export const meanAssignmentIntervalMs = (log: AssignmentLog, now: number): number | null => {
  const recent = log.filter((a) => now - a.at <= ETA_WINDOW_MS);
  const first = recent.at(0);
  const last = recent.at(-1);
  if (first === undefined || last === undefined || recent.length < 2) return null;
  return (last.at - first.at) / (recent.length - 1);
};

/**
 * Position × mean interval. Null when there is not enough data, or when nobody is online to
 * serve the room (the customer is told nobody is online instead of a made-up time).
 */
export const estimatedWaitSeconds = (
  position: number,
  meanIntervalMs: number | null,
  agentsOnline: number,
): number | null => {
  if (meanIntervalMs === null || agentsOnline === 0) return null;
  return Math.round((position * meanIntervalMs) / 1000);
};
