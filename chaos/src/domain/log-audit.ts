/** One row of the `events` table, in global order. */
export type LoggedEvent = Readonly<{
  globalPosition: number;
  type: string;
  data: Record<string, unknown>;
}>;

export type LoggedMessage = Readonly<{
  roomId: string;
  id: string;
  seq: number;
  senderId: string;
  clientMessageId: string;
  message: string;
}>;

export type RoomFate = { status: "waiting" | "open" | "closed"; agentId: string | null };

export type LogAudit = Readonly<{
  /** Every MessagePosted per room, in seq order. */
  messages: ReadonlyMap<string, LoggedMessage[]>;
  /** Sender and clientMessageId pairs recorded more than once in one room. */
  duplicates: string[];
  /** Rooms whose seqs are not exactly 1..n. */
  seqGaps: string[];
  /** Assignments that broke a rule, in log order. */
  assignmentViolations: string[];
  /** The highest number of open rooms any agent held at once. */
  peakLoad: ReadonlyMap<string, number>;
  rooms: ReadonlyMap<string, RoomFate>;
}>;

const text = (v: unknown): string => (typeof v === "string" ? v : String(v));

const messageOf = (data: Record<string, unknown>): LoggedMessage => ({
  roomId: text(data["roomId"]),
  id: text(data["messageId"]),
  seq: Number(data["seq"]),
  senderId: text(data["senderId"]),
  clientMessageId: text(data["clientMessageId"]),
  message: text(data["message"]),
});

/** Tracks which agent holds which open room, replaying assignments in the order they happened. */
class Assignments {
  readonly rooms = new Map<string, RoomFate>();
  private readonly load = new Map<string, Set<string>>();
  readonly peak = new Map<string, number>();
  readonly violations: string[] = [];

  constructor(private readonly maxChats: number) {}

  opened(roomId: string): void {
    this.rooms.set(roomId, { status: "waiting", agentId: null });
  }

  assigned(position: number, data: Record<string, unknown>): void {
    const roomId = text(data["roomId"]);
    const agentId = text(data["agentId"]);
    const previous = (data["previousAgentId"] ?? null) as string | null;
    const room = this.rooms.get(roomId) ?? { status: "waiting", agentId: null };
    if (room.status === "closed") this.violate(position, `room ${roomId} assigned after closing`);
    if (room.agentId !== previous) {
      this.violate(
        position,
        `room ${roomId} assigned to ${agentId} while held by ${room.agentId ?? "nobody"} (event says ${previous ?? "nobody"})`,
      );
    }
    if (room.agentId) this.release(room.agentId, roomId);
    this.take(position, agentId, roomId);
    this.rooms.set(roomId, { status: "open", agentId });
  }

  requeued(data: Record<string, unknown>): void {
    const roomId = text(data["roomId"]);
    const room = this.rooms.get(roomId);
    if (room?.agentId) this.release(room.agentId, roomId);
    this.rooms.set(roomId, { status: "waiting", agentId: null });
  }

  closed(data: Record<string, unknown>): void {
    const roomId = text(data["roomId"]);
    const room = this.rooms.get(roomId);
    if (room?.agentId) this.release(room.agentId, roomId);
    this.rooms.set(roomId, { status: "closed", agentId: room?.agentId ?? null });
  }

  private take(position: number, agentId: string, roomId: string): void {
    const held = this.load.get(agentId) ?? new Set<string>();
    held.add(roomId);
    this.load.set(agentId, held);
    this.peak.set(agentId, Math.max(this.peak.get(agentId) ?? 0, held.size));
    if (held.size > this.maxChats) {
      this.violate(
        position,
        `agent ${agentId} holds ${held.size} rooms (capacity ${this.maxChats})`,
      );
    }
  }

  private release(agentId: string, roomId: string): void {
    this.load.get(agentId)?.delete(roomId);
  }

  private violate(position: number, what: string): void {
    this.violations.push(`#${position}: ${what}`);
  }
}

/**
 * Reads the whole event log in order and checks what must hold whatever happened to the
 * processes: each message recorded once, seqs gap-free, no room held by two agents, no agent
 * past capacity at any moment.
 */
export const auditLog = (events: readonly LoggedEvent[], maxChats: number): LogAudit => {
  const messages = new Map<string, LoggedMessage[]>();
  const seen = new Map<string, number>();
  const assignments = new Assignments(maxChats);
  for (const event of events) {
    switch (event.type) {
      case "RoomOpened":
        assignments.opened(text(event.data["roomId"]));
        break;
      case "MessagePosted": {
        const m = messageOf(event.data);
        messages.set(m.roomId, [...(messages.get(m.roomId) ?? []), m]);
        const key = `${m.roomId} ${m.senderId} ${m.clientMessageId}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        break;
      }
      case "AgentAssigned":
        assignments.assigned(event.globalPosition, event.data);
        break;
      case "RoomRequeued":
        assignments.requeued(event.data);
        break;
      case "RoomClosed":
        assignments.closed(event.data);
        break;
      default:
        break;
    }
  }
  for (const list of messages.values()) list.sort((a, b) => a.seq - b.seq);
  const seqGaps = [...messages]
    .filter(([, list]) => list.some((m, i) => m.seq !== i + 1))
    .map(([roomId, list]) => `${roomId}: seqs ${list.map((m) => m.seq).join(",")}`);
  return {
    messages,
    duplicates: [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`),
    seqGaps,
    assignmentViolations: assignments.violations,
    peakLoad: assignments.peak,
    rooms: assignments.rooms,
  };
};
