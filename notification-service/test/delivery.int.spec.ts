import { randomUUID } from "node:crypto";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { roomStreamId, type RecordedRoomEvent } from "@support-chat/contracts";
import { natsUrl } from "@support-chat/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationConsumerName } from "../src/service.js";
import {
  agent,
  customer,
  sampleOf,
  startEnvironment,
  type Environment,
} from "./support/environment.js";
import { waitUntil } from "./support/test-gateway.js";

let env: Environment;

beforeAll(async () => {
  env = await startEnvironment();
});

afterAll(async () => {
  await env?.close();
});

const counted = async (type: string, outcome: string) =>
  sampleOf(await env.metrics(), "notification_events_total", { type, outcome });

/** A room event as the chat service's relay would publish it, for a room that exists. */
const publishRead = async (roomId: string, readerId: string, upToSeq: number) => {
  const event: RecordedRoomEvent = {
    type: "MessagesRead",
    data: { roomId, readerId, side: "customer", upToSeq },
    metadata: {
      eventId: randomUUID(),
      streamId: roomStreamId(roomId),
      streamPosition: 100 + upToSeq,
      globalPosition: 1000 + upToSeq,
      actor: { id: readerId, name: "Reader", role: "customer" },
      correlationId: `read-${upToSeq}`,
      causationId: null,
      occurredAt: new Date().toISOString(),
    },
  };
  await env.js.publish(env.subjects.event(event.type), JSON.stringify(event), {
    msgID: event.metadata.eventId,
  });
};

describe("delivery of pushes", () => {
  it("sends the pushes of events recorded while the service was down once it is back", async () => {
    const erin = customer("Erin");
    const erinTab = await env.gateway.connect({ userId: erin.id });
    const room = await env.command(erin, "openRoom", {});
    await erinTab.waitFor("roomUpdated", (p) => p.room.id === room.id);

    await env.stopNotification();
    await env.command(erin, "postMessage", {
      roomId: room.id,
      clientMessageId: "e-1",
      message: "one",
    });
    await env.command(erin, "postMessage", {
      roomId: room.id,
      clientMessageId: "e-2",
      message: "two",
    });
    await env.startNotification();

    await erinTab.waitFor("newMessage", (p) => p.clientMessageId === "e-2");
    expect(erinTab.all("newMessage").map((m) => [m.seq, m.message])).toEqual([
      [1, "one"],
      [2, "two"],
    ]);
  });

  it("loses and doubles nothing when it is stopped in the middle of a burst", async () => {
    const ida = customer("Ida");
    const idaTab = await env.gateway.connect({ userId: ida.id });
    const room = await env.command(ida, "openRoom", {});
    await idaTab.waitFor("roomUpdated", (p) => p.room.id === room.id);
    const burst = 20;

    const posting = (async () => {
      for (let i = 1; i <= burst; i++) {
        await env.command(ida, "postMessage", {
          roomId: room.id,
          clientMessageId: `i-${i}`,
          message: `message ${i}`,
        });
      }
    })();
    await idaTab.waitFor("newMessage");
    await env.stopNotification();
    await posting;
    await env.startNotification();

    await idaTab.waitFor("newMessage", (p) => p.seq === burst);
    await waitUntil(() => idaTab.all("newMessage").length >= burst, "every message pushed");
    const seqs = idaTab.all("newMessage").map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: burst }, (_, i) => i + 1));
  });

  it("terminates a malformed message and delivers the ones after it", async () => {
    const fay = customer("Fay");
    const fayTab = await env.gateway.connect({ userId: fay.id });
    const room = await env.command(fay, "openRoom", {});
    const before = await counted("MessagePosted", "invalid");

    await env.js.publish(env.subjects.event("MessagePosted"), "{not json");
    await env.js.publish(
      env.subjects.event("RoomClosed"),
      JSON.stringify({ type: "RoomClosed", data: { roomId: room.id } }),
    );
    await env.command(fay, "postMessage", {
      roomId: room.id,
      clientMessageId: "f-1",
      message: "hi",
    });

    await fayTab.waitFor("newMessage", (p) => p.clientMessageId === "f-1");
    expect(await counted("MessagePosted", "invalid")).toBe(before + 1);
    expect(await counted("RoomClosed", "invalid")).toBe(1);
    // Terminated, not left for redelivery: nothing of this consumer is waiting for an ack.
    const nc = await connect({ servers: natsUrl() });
    const jsm = await jetstreamManager(nc);
    const durable = notificationConsumerName(env.subjects.namespace);
    await waitUntil(async () => {
      const info = await jsm.consumers.info(env.subjects.eventStream, durable);
      return info.num_ack_pending === 0 && info.num_pending === 0;
    }, "nothing pending on the consumer");
    expect(fayTab.all("roomUpdated").every((p) => p.room.status !== "closed")).toBe(true);
    await nc.close();
  });

  it("retries while the chat service is down, then delivers each room's pushes in order", async () => {
    const gus = customer("Gus");
    const gusTab = await env.gateway.connect({ userId: gus.id });
    const room = await env.command(gus, "openRoom", {});
    await gusTab.waitFor("roomUpdated", (p) => p.room.id === room.id);
    const retriedBefore = await counted("MessagesRead", "retried");

    // given an event whose room cannot be read right now
    await env.stopChat();
    await publishRead(room.id, gus.id, 1);
    await waitUntil(
      async () => (await counted("MessagesRead", "retried")) > retriedBefore,
      "the event was sent back for a retry",
    );
    expect(gusTab.all("messagesRead")).toEqual([]);

    // when the chat service is back and later events of the same room arrive before the retry
    await env.startChat();
    await publishRead(room.id, gus.id, 2);
    await publishRead(room.id, gus.id, 3);

    // then nothing is lost and the room's pushes keep their order
    await gusTab.waitFor("messagesRead", (p) => p.upToSeq === 3);
    expect(gusTab.all("messagesRead").map((p) => p.upToSeq)).toEqual([1, 2, 3]);
  });

  it.each([
    [
      "its consumer",
      (jsm: JetStreamManager, durable: string) =>
        jsm.consumers.delete(env.subjects.eventStream, durable),
    ],
    ["the event stream", (jsm: JetStreamManager) => jsm.streams.delete(env.subjects.eventStream)],
  ] as const)("carries on when %s disappears", async (_what, remove) => {
    const hal = customer("Hal");
    const halTab = await env.gateway.connect({ userId: hal.id });
    const room = await env.command(hal, "openRoom", {});
    await halTab.waitFor("roomUpdated", (p) => p.room.id === room.id);
    const nc = await connect({ servers: natsUrl() });
    const jsm = await jetstreamManager(nc);
    const durable = notificationConsumerName(env.subjects.namespace);

    await remove(jsm, durable);
    await waitUntil(
      () =>
        jsm.consumers.info(env.subjects.eventStream, durable).then(
          () => true,
          () => false,
        ),
      "the consumer is defined again",
    );
    await env.command(hal, "postMessage", {
      roomId: room.id,
      clientMessageId: "h-1",
      message: "hi",
    });

    await halTab.waitFor("newMessage", (p) => p.clientMessageId === "h-1");
    await nc.close();
  });
});

describe("the service's own health", () => {
  it("is ready when NATS and Redis answer, and counts pushes with their lag", async () => {
    const ivy = customer("Ivy");
    const ana = agent("Ana");
    const anaTab = await env.gateway.connect({ userId: ana.id, agent: true });
    const room = await env.command(ivy, "openRoom", {});
    await anaTab.waitFor("roomUpdated", (p) => p.room.id === room.id);

    const ready = await fetch(`http://127.0.0.1:${env.notification().opsPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { nats: "ok", redis: "ok" } });
    const metrics = await env.metrics();
    expect(
      sampleOf(metrics, "notification_events_total", { type: "RoomOpened", outcome: "pushed" }),
    ).toBeGreaterThan(0);
    expect(sampleOf(metrics, "notification_push_lag_seconds_count", {})).toBeGreaterThan(0);
    expect(metrics).toMatch(/^notification_consumer_pending\{[^}]*\} 0$/m);
  });
});
