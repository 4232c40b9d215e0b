/** The names of the faults, in the order they are injected. */
export const FAULTS = [
  "gateway",
  "chat-service",
  "notification-service",
  "assignment-service",
  "nats",
  "redis",
  "postgres",
] as const;
export type FaultName = (typeof FAULTS)[number];

/** How big and how long a run is. */
export type Profile = {
  name: "short" | "full";
  customers: number;
  /** Agents online from the start; fewer than needed, so some rooms wait in the queue. */
  agentsAtStart: number;
  /** One more agent comes online while each of these faults is in effect. */
  agentsArrivingDuring: FaultName[];
  agentMaxChats: number;
  /** Traffic before a fault is injected. */
  leadMs: number;
  /** How long a killed process or stopped backing service stays down. */
  downMs: number;
  /** Traffic after everything is back. */
  tailMs: number;
  /** How long every process gets to report ready again after a fault. */
  recoverMs: number;
  /** Customers who close their room and open a new one at the start of each fault. */
  startOversPerFault: number;
  /** Times the whole list of faults is gone through. */
  rounds: number;
  /** Participants act on this beat. */
  beatMs: number;
  /** After writing stops: time for outboxes to drain, rooms to be assigned, views to settle. */
  drainMs: number;
  settleMs: number;
};

export const PROFILES: Record<Profile["name"], Profile> = {
  short: {
    name: "short",
    customers: 12,
    agentsAtStart: 2,
    agentsArrivingDuring: ["gateway", "assignment-service", "postgres"],
    agentMaxChats: 3,
    leadMs: 2000,
    downMs: 1500,
    tailMs: 3000,
    recoverMs: 30_000,
    startOversPerFault: 1,
    rounds: 1,
    beatMs: 250,
    drainMs: 30_000,
    settleMs: 15_000,
  },
  full: {
    name: "full",
    customers: 24,
    agentsAtStart: 3,
    agentsArrivingDuring: ["gateway", "assignment-service", "nats", "postgres"],
    agentMaxChats: 4,
    leadMs: 8000,
    downMs: 3000,
    tailMs: 10_000,
    recoverMs: 60_000,
    startOversPerFault: 2,
    rounds: 2,
    beatMs: 250,
    drainMs: 60_000,
    settleMs: 30_000,
  },
};
