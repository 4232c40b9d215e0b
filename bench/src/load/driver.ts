/**
 * A load driver, forked by the coordinator. It holds whole conversations, customer and agent
 * sockets alike, so one clock (this process's) times every message from send to the other
 * side's receipt. Sends follow a timer (open loop): a slow reply never slows the offered load.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { ChatMessage, Reply } from "@support-chat/contracts";
import type {
  Direction,
  DriverSetup,
  DriverStep,
  DriverStepResult,
  FromDriver,
  HopSample,
  ToDriver,
} from "./protocol.js";
import { claimRoom, openRoom } from "./rest.js";
import { connectSocket, inBatches, type BenchSocket } from "./sockets.js";

type Side = "customer" | "agent";
type Conversation = { roomId: string; customer: BenchSocket; agent: BenchSocket };

type InFlight = {
  direction: Direction;
  sentAt: number;
  delivered: boolean;
  sample: HopSample | undefined;
};

const wallClock = () => performance.timeOrigin + performance.now();
const send = (message: FromDriver) => process.send?.(message);

/** The side a message is meant for; the sender's own echo is not a delivery. */
const recipientOf = (direction: Direction): Side =>
  direction === "toAgent" ? "agent" : "customer";

const messageId = (driverId: number, step: number, n: number, direction: Direction) =>
  `b${driverId}-${step}-${n}-${direction === "toAgent" ? "a" : "c"}`;

const parseMessageId = (id: string) => {
  const [, step, , to] = id.split("-");
  return { step: Number(step), direction: (to === "a" ? "toAgent" : "toCustomer") as Direction };
};

/** Counters and timings of the step being run; replaced at the start of each step. */
class StepRecord {
  readonly inFlight = new Map<string, InFlight>();
  sent = 0;
  acked = 0;
  delivered = 0;
  deliveredInWindow = 0;
  duplicates = 0;
  late = 0;
  windowOpen = true;
  readonly ackErrors: Record<string, number> = {};
  readonly latencyMs: Record<Direction, number[]> = { toAgent: [], toCustomer: [] };
  readonly ackLatencyMs: number[] = [];
  readonly sendLagMs: number[] = [];
  readonly samples: HopSample[] = [];

  constructor(readonly config: DriverStep) {}

  settled(): boolean {
    return this.delivered + this.failed() >= this.sent && this.acked + this.failed() >= this.sent;
  }

  failed(): number {
    return Object.values(this.ackErrors).reduce((a, b) => a + b, 0);
  }
}

class Driver {
  private conversations: Conversation[] = [];
  private sockets: BenchSocket[] = [];
  private step: StepRecord | undefined;
  private pushes: Record<string, number> = {};
  private disconnects = 0;

  constructor(private readonly setup: DriverSetup) {}

  async prepare(): Promise<void> {
    const started = performance.now();
    const { url, kind, rooms } = this.setup;
    // Rooms first, sockets after: agents that connect only once their rooms are claimed
    // give the router nothing to assign behind the benchmark's back.
    const roomIds = await inBatches(rooms, 8, async (plan) =>
      kind === "raw" ? randomUUID() : (await openRoom(url, plan.customer.token)).id,
    );
    const agentPlans = [...new Map(rooms.map((r) => [r.agent.id, r.agent])).values()];
    if (kind === "system") {
      // An agent takes one room at a time, as a person would; agents work side by side.
      await Promise.all(
        agentPlans.map(async (agent) => {
          for (const [i, plan] of rooms.entries()) {
            if (plan.agent.id === agent.id) await claimRoom(url, agent.token, roomIds[i]!);
          }
        }),
      );
    }
    const agents = new Map<string, BenchSocket>();
    await inBatches(agentPlans, 16, async (agent) => {
      agents.set(agent.id, this.watch(await connectSocket(url, agent.token), "agent"));
    });
    const customers = await inBatches(rooms, 32, async (plan) =>
      this.watch(await connectSocket(url, plan.customer.token), "customer"),
    );
    this.conversations = rooms.map((plan, i) => ({
      roomId: roomIds[i]!,
      customer: customers[i]!,
      agent: agents.get(plan.agent.id)!,
    }));
    await inBatches(this.conversations, 32, async (c) => {
      await joinRoom(c.customer, c.roomId);
      await joinRoom(c.agent, c.roomId);
    });
    send({
      type: "ready",
      sockets: this.sockets.length,
      rooms: this.conversations.length,
      setupMs: performance.now() - started,
    });
  }

  private watch(socket: BenchSocket, side: Side): BenchSocket {
    this.sockets.push(socket);
    socket.onAny((event: string) => {
      this.pushes[event] = (this.pushes[event] ?? 0) + 1;
    });
    // Parsing every push with the contract's schema would cost this process more than it
    // measures; the id is all the driver reads, and it is checked.
    socket.on("newMessage", (message) => {
      if (typeof message?.clientMessageId === "string")
        this.received(message.clientMessageId, side);
    });
    socket.on("disconnect", () => this.disconnects++);
    return socket;
  }

  private received(clientMessageId: string, side: Side): void {
    const step = this.step;
    if (!step) return;
    const entry = step.inFlight.get(clientMessageId);
    if (!entry) {
      const earlier = parseMessageId(clientMessageId);
      if (earlier.step !== step.config.step && recipientOf(earlier.direction) === side) step.late++;
      return;
    }
    if (recipientOf(entry.direction) !== side) return;
    if (entry.delivered) {
      step.duplicates++;
      return;
    }
    const now = performance.now();
    entry.delivered = true;
    step.delivered++;
    if (step.windowOpen) step.deliveredInWindow++;
    step.latencyMs[entry.direction].push(now - entry.sentAt);
    if (entry.sample) entry.sample.receivedAt = wallClock();
  }

  private sendOne(step: StepRecord, n: number, scheduledAt: number): void {
    const rooms = this.conversations.length;
    const conversation = this.conversations[n % rooms]!;
    const direction: Direction = Math.floor(n / rooms) % 2 === 0 ? "toAgent" : "toCustomer";
    const socket = direction === "toAgent" ? conversation.customer : conversation.agent;
    const clientMessageId = messageId(this.setup.driverId, step.config.step, n, direction);
    const every = step.config.sampleEvery;
    const sample: HopSample | undefined =
      every > 0 && n % every === 0
        ? { clientMessageId, direction, sentAt: wallClock(), ackedAt: null, receivedAt: null }
        : undefined;
    if (sample) step.samples.push(sample);
    const sentAt = performance.now();
    step.inFlight.set(clientMessageId, { direction, sentAt, delivered: false, sample });
    step.sendLagMs.push(sentAt - scheduledAt);
    step.sent++;
    socket.emit(
      "sendMessage",
      {
        roomId: conversation.roomId,
        message: `load ${clientMessageId}: where is my parcel, and when will it arrive?`,
        clientMessageId,
      },
      (reply: Reply<ChatMessage>) => {
        if (reply?.status === "OK") {
          step.acked++;
          step.ackLatencyMs.push(performance.now() - sentAt);
          if (sample) sample.ackedAt = wallClock();
        } else {
          const code = reply?.error?.code ?? "MALFORMED_REPLY";
          step.ackErrors[code] = (step.ackErrors[code] ?? 0) + 1;
        }
      },
    );
  }

  async run(config: DriverStep): Promise<DriverStepResult> {
    const step = new StepRecord(config);
    this.step = step;
    this.pushes = {};
    const disconnectsBefore = this.disconnects;
    const total = Math.round((config.ratePerSecond * config.durationMs) / 1000);
    const interval = 1000 / config.ratePerSecond;
    const elu = performance.eventLoopUtilization();
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
        while (step.sent < due) this.sendOne(step, step.sent, start + step.sent * interval);
        if (step.sent >= total) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(tick, 1);
      tick();
    });
    const busy = performance.eventLoopUtilization(elu).utilization;
    // The window closes when the schedule's time is up, even if sending ran late.
    const windowEnd = start + config.durationMs;
    await waitUntil(() => performance.now() >= windowEnd, windowEnd - performance.now() + 5);
    step.windowOpen = false;
    await waitUntil(() => step.settled(), config.drainMs);
    return {
      type: "stepResult",
      step: config.step,
      sent: step.sent,
      acked: step.acked,
      ackErrors: step.ackErrors,
      delivered: step.delivered,
      deliveredInWindow: step.deliveredInWindow,
      duplicates: step.duplicates,
      late: step.late,
      latencyMs: step.latencyMs,
      ackLatencyMs: step.ackLatencyMs,
      sendLagMs: step.sendLagMs,
      eventLoopUtilization: busy,
      pushes: { ...this.pushes },
      disconnects: this.disconnects - disconnectsBefore,
      samples: step.samples,
    };
  }

  async settle(timeoutMs: number): Promise<number> {
    const step = this.step;
    if (!step) return 0;
    await waitUntil(() => step.settled(), timeoutMs);
    return step.sent - step.delivered;
  }

  close(): void {
    for (const s of this.sockets) s.disconnect();
  }
}

const joinRoom = (socket: BenchSocket, roomId: string): Promise<void> =>
  new Promise((resolve, reject) => {
    socket.timeout(20_000).emit("joinRoom", { roomId }, (err: Error | null, reply) => {
      if (err) return reject(err);
      if (reply.status !== "OK") {
        return reject(new Error(`joinRoom: ${reply.error.code}: ${reply.error.message}`));
      }
      resolve();
    });
  });

/** Polls `done` every few milliseconds until it holds or `timeoutMs` is up. */
const waitUntil = async (done: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = performance.now() + Math.max(0, timeoutMs);
  while (!done() && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
};

let driver: Driver | undefined;

const fail = (e: unknown) => {
  send({ type: "failed", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
};

process.on("message", (message: ToDriver) => {
  switch (message.type) {
    case "setup":
      driver = new Driver(message);
      driver.prepare().catch(fail);
      return;
    case "step":
      if (!driver) return fail(new Error("step before setup"));
      driver
        .run(message)
        .then((result) => send(result))
        .catch(fail);
      return;
    case "settle":
      if (!driver) return fail(new Error("settle before setup"));
      driver
        .settle(message.timeoutMs)
        .then((undelivered) => send({ type: "settled", undelivered }))
        .catch(fail);
      return;
    case "stop":
      driver?.close();
      setTimeout(() => process.exit(0), 50);
      return;
  }
});
// The coordinator is gone (crashed or killed): do not linger.
process.on("disconnect", () => process.exit(0));
