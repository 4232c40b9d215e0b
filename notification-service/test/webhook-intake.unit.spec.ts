import type { JsMsg } from "@nats-io/jetstream";
import { createLogger } from "@support-chat/service-kit";
import { describe, expect, it } from "vitest";
import { webhookIntake } from "../src/adapters/webhooks/intake.js";
import type { IntakeOutcome } from "../src/adapters/webhooks/metrics.js";

/** A message as JetStream hands it over, recording how it was settled. */
const message = (subject: string, body: unknown, deliveryCount = 1) => {
  const settled: string[] = [];
  const msg = {
    subject,
    seq: 7,
    data: new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body)),
    info: { deliveryCount },
    ack: () => settled.push("ack"),
    nak: (delay?: number) => settled.push(`nak ${delay}`),
    term: () => settled.push("term"),
  } as unknown as JsMsg;
  return { msg, settled };
};

const roomOpened = {
  type: "RoomOpened",
  data: {
    roomId: "6f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b",
    customerId: "c1",
    customerName: "Carla",
  },
  metadata: {
    eventId: "7f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b",
    streamId: "room-6f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b",
    streamPosition: 1,
    globalPosition: 1,
    actor: { id: "c1", name: "Carla", role: "customer" },
    correlationId: "corr-1",
    causationId: null,
    occurredAt: "2026-01-01T10:00:00.000Z",
  },
};

const intake = (queueEvent: () => Promise<number>) => {
  const outcomes: IntakeOutcome[] = [];
  const queued: string[] = [];
  const handle = webhookIntake({
    store: {
      queueEvent: async (e) => {
        queued.push(e.body);
        return queueEvent();
      },
    },
    queued: () => undefined,
    retry: { baseMs: 100, maxMs: 1000 },
    metrics: { intake: (o) => outcomes.push(o), attempt: () => undefined },
    log: createLogger("test", "silent"),
    now: () => new Date("2026-01-01T10:00:01.000Z"),
  });
  return { handle, outcomes, queued };
};

describe("the webhook consumer", () => {
  it("acknowledges a room event once its deliveries are written, with the body receivers get", async () => {
    const { handle, outcomes, queued } = intake(async () => 2);
    const { msg, settled } = message("t.events.RoomOpened", roomOpened);
    await handle(msg);
    expect(settled).toEqual(["ack"]);
    expect(outcomes).toEqual(["queued"]);
    expect(JSON.parse(queued[0]!)).toEqual({
      id: roomOpened.metadata.eventId,
      type: "RoomOpened",
      occurredAt: roomOpened.metadata.occurredAt,
      data: roomOpened.data,
    });
  });

  it("sends the event back for later when the deliveries cannot be written", async () => {
    const { handle, outcomes } = intake(() => Promise.reject(new Error("connection refused")));
    const { msg, settled } = message("t.events.RoomOpened", roomOpened, 3);
    await handle(msg);
    expect(settled).toEqual(["nak 400"]);
    expect(outcomes).toEqual(["retried"]);
  });

  it("terminates what claims to be a room event but is not one", async () => {
    const { handle, outcomes, queued } = intake(async () => 1);
    const { msg, settled } = message("t.events.RoomOpened", "{not json");
    await handle(msg);
    expect(settled).toEqual(["term"]);
    expect(outcomes).toEqual(["invalid"]);
    expect(queued).toEqual([]);
  });

  it("passes over events no webhook can choose, such as canned responses'", async () => {
    const { handle, outcomes, queued } = intake(async () => 1);
    const { msg, settled } = message("t.events.CannedResponseCreated", { type: "x" });
    await handle(msg);
    expect(settled).toEqual(["ack"]);
    expect(outcomes).toEqual(["skipped"]);
    expect(queued).toEqual([]);
  });
});
