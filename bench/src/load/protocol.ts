/**
 * What the coordinator and its load drivers say to each other over the fork IPC channel
 * (structured clone, so arrays of numbers travel without JSON work).
 */

/** Someone with a signed token; for the raw relay the token is ignored. */
export type Person = { id: string; name: string; token: string };

/** One conversation a driver holds: its customer, and the agent who serves it. */
export type RoomPlan = { customer: Person; agent: Person };

/** Customer → agent, or agent → customer. */
export type Direction = "toAgent" | "toCustomer";

export type TargetKind = "raw" | "system";

export type DriverSetup = {
  type: "setup";
  kind: TargetKind;
  /** Gateway (or raw relay) base URL, e.g. http://127.0.0.1:3001. */
  url: string;
  driverId: number;
  rooms: RoomPlan[];
};

export type DriverStep = {
  type: "step";
  step: number;
  /** This driver's share of the offered load. */
  ratePerSecond: number;
  durationMs: number;
  /** After the last send, how long to keep listening for deliveries before reporting. */
  drainMs: number;
  /** Every n-th message keeps its timestamps for the per-hop breakdown (0 = none). */
  sampleEvery: number;
};

/** Wait until every message of the last step has arrived (after a step the system lost). */
export type DriverSettle = { type: "settle"; timeoutMs: number };

export type ToDriver = DriverSetup | DriverStep | DriverSettle | { type: "stop" };

export type DriverReady = { type: "ready"; sockets: number; rooms: number; setupMs: number };

/** Wall-clock milliseconds (sub-millisecond precision) of one message's life, seen by a driver. */
export type HopSample = {
  clientMessageId: string;
  direction: Direction;
  sentAt: number;
  ackedAt: number | null;
  receivedAt: number | null;
};

export type DriverStepResult = {
  type: "stepResult";
  step: number;
  sent: number;
  acked: number;
  /** Error replies by code (RATE_LIMITED, UNAVAILABLE, ...). */
  ackErrors: Record<string, number>;
  /** Delivered to the other side of the conversation by the end of the drain. */
  delivered: number;
  /** Of those, delivered while the step was still sending (its throughput). */
  deliveredInWindow: number;
  duplicates: number;
  /** Deliveries of messages from an earlier step. */
  late: number;
  latencyMs: Record<Direction, number[]>;
  ackLatencyMs: number[];
  /** How far behind its schedule each send left (the driver's own lag). */
  sendLagMs: number[];
  /** Event-loop utilisation of the driver during the step (0..1). */
  eventLoopUtilization: number;
  /** Every push received, by event name (shows fan-out such as roomUpdated to all agents). */
  pushes: Record<string, number>;
  disconnects: number;
  samples: HopSample[];
};

export type DriverSettled = { type: "settled"; undelivered: number };

export type FromDriver =
  DriverReady | DriverStepResult | DriverSettled | { type: "failed"; message: string };
