import { randomUUID } from "node:crypto";
import { roomStreamId, type RecordedRoomEvent } from "@support-chat/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customer, sampleOf, startEnvironment, type Environment } from "./support/environment.js";
import { waitUntil, type TestClient } from "./support/test-gateway.js";

let env: Environment;

beforeAll(async () => {
  env = await startEnvironment();
});

afterAll(async () => {
  await env?.close();
});

const counted = async (type: string, outcome: string) =>
  sampleOf(await env.metrics(), "notification_events_total", { type, outcome });

type OpenRoom = { id: string; tab: TestClient; actor: ReturnType<typeof customer> };

const openRooms = async (count: number): Promise<OpenRoom[]> =>
  Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const actor = customer(`Burst${i}`);
      const tab = await env.gateway.connect({ userId: actor.id });
      const room = await env.command(actor, "openRoom", {});
      await tab.waitFor("roomUpdated", (p) => p.room.id === room.id);
      return { id: room.id, tab, actor };
    }),
  );

const postBurst = async (room: OpenRoom, burst: number, tag: string) => {
  for (let i = 1; i <= burst; i++) {
    await env.command(room.actor, "postMessage", {
      roomId: room.id,
      clientMessageId: `${tag}-${i}`,
      message: `${tag} ${i}`,
    });
  }
};

/** Each tab has exactly its room's messages, each once, in seq order. */
const expectInOrder = async (rooms: OpenRoom[], burst: number) => {
  await waitUntil(
    () => rooms.every((r) => r.tab.all("newMessage").length >= burst),
    "every room got its messages",
    20_000,
  );
  const expected = Array.from({ length: burst }, (_, i) => i + 1);
  for (const room of rooms) {
    const pushes = room.tab.all("newMessage");
    expect(pushes.map((p) => p.seq)).toEqual(expected);
    expect(pushes.every((p) => p.roomId === room.id)).toBe(true);
  }
};

/** A `MessagesRead` of a room the chat service does not know: reading it fails every time. */
const publishReadOfUnknownRoom = async (roomId: string, upToSeq: number) => {
  const event: RecordedRoomEvent = {
    type: "MessagesRead",
    data: { roomId, readerId: "nobody", side: "customer", upToSeq },
    metadata: {
      eventId: randomUUID(),
      streamId: roomStreamId(roomId),
      streamPosition: upToSeq,
      globalPosition: upToSeq,
      actor: { id: "nobody", name: "Nobody", role: "customer" },
      correlationId: `unknown-${upToSeq}`,
      causationId: null,
      occurredAt: new Date().toISOString(),
    },
  };
  await env.js.publish(env.subjects.event(event.type), JSON.stringify(event), {
    msgID: event.metadata.eventId,
  });
};

describe("many rooms at once", () => {
  it("pushes every room's messages in order, none missing or doubled, while rooms post together", async () => {
    // given many rooms, each with its customer connected
    const rooms = await openRooms(16);
    const burst = 12;

    // when every room posts a burst at the same time
    await Promise.all(rooms.map((room) => postBurst(room, burst, "live")));

    // then each customer sees their room's messages once each, in seq order
    await expectInOrder(rooms, burst);
  });

  it("keeps each room's order when a backlog of many rooms is taken at once", async () => {
    // given events of many rooms recorded while the service was down
    const rooms = await openRooms(12);
    const burst = 10;
    await env.stopNotification();
    await Promise.all(rooms.map((room) => postBurst(room, burst, "backlog")));

    // when it comes back and takes them side by side
    await env.startNotification();

    // then each room's pushes still come in order, each once
    await expectInOrder(rooms, burst);
  });

  it("keeps other rooms flowing while one room is held for retries", async () => {
    // given a room whose events cannot be read and keep being retried
    const unknownRoom = randomUUID();
    const retriedBefore = await counted("MessagesRead", "retried");
    const heldBefore = await counted("MessagesRead", "held");
    await publishReadOfUnknownRoom(unknownRoom, 1);
    await publishReadOfUnknownRoom(unknownRoom, 2);
    await waitUntil(
      async () => (await counted("MessagesRead", "retried")) > retriedBefore,
      "the unreadable event was sent back for a retry",
    );

    // when other rooms post meanwhile
    const rooms = await openRooms(4);
    await Promise.all(rooms.map((room) => postBurst(room, 5, "beside")));

    // then their pushes arrive in order, and the held room's later event waited behind its first
    await expectInOrder(rooms, 5);
    await waitUntil(
      async () => (await counted("MessagesRead", "held")) > heldBefore,
      "the later event of the unreadable room was held",
    );
  });
});
