import { chatQueries, type ChatRoom } from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agent, customer, startEnvironment, type Environment } from "./support/environment.js";

let env: Environment;

beforeAll(async () => {
  env = await startEnvironment();
});

afterAll(async () => {
  await env?.close();
});

describe("room views pushed after each event", () => {
  it("are the chat service's views, derived from the events without asking for most of them", async () => {
    const carla = customer("Carla");
    const ana = agent("Ana");
    const bo = agent("Bo");
    const carlaTab = await env.gateway.connect({ userId: carla.id });
    const anaTab = await env.gateway.connect({ userId: ana.id, agent: true });
    const views = requesterFor({
      nc: env.nc,
      operations: chatQueries,
      subjectOf: env.subjects.query,
      timeoutMs: 5000,
    });
    // Every views request the notification service makes, seen beside the chat service.
    const asked: string[] = [];
    const watch = env.nc.subscribe(env.subjects.query("getRoomViews"), {
      callback: (_err, msg) => {
        const envelope = msg.json<{ actor: { id: string }; payload: { roomId: string } }>();
        if (envelope.actor.id === "notification-service") asked.push(envelope.payload.roomId);
      },
    });
    await env.nc.flush();

    const sameAs = (expected: ChatRoom) => (p: { room: ChatRoom }) =>
      JSON.stringify(p.room) === JSON.stringify(expected);
    /** After a command: both sides were pushed exactly what the chat service's projection says. */
    const pushedAsStored = async (roomId: string) => {
      const stored = await views("getRoomViews", {
        actor: { id: "test", name: "Test", role: "system" },
        correlationId: `check-${roomId}`,
        payload: { roomId },
      });
      await carlaTab.waitFor("roomUpdated", sameAs(stored.customer));
      await anaTab.waitFor("roomUpdated", sameAs(stored.support));
    };

    const room = await env.command(carla, "openRoom", {});
    await pushedAsStored(room.id);
    for (const [i, text] of ["Hi", "Anyone there?"].entries()) {
      await env.command(carla, "postMessage", {
        roomId: room.id,
        clientMessageId: `c-${i}`,
        message: text,
      });
      await pushedAsStored(room.id);
    }
    await env.command(ana, "claimRoom", { roomId: room.id });
    await pushedAsStored(room.id);
    await env.command(ana, "postMessage", {
      roomId: room.id,
      clientMessageId: "a-1",
      message: "Hello Carla",
    });
    await pushedAsStored(room.id);
    // Support reads only the first message: what is left unread needs the log.
    await env.command(ana, "markRead", { roomId: room.id, upToSeq: 1 });
    await pushedAsStored(room.id);
    await env.command(carla, "markRead", { roomId: room.id });
    await pushedAsStored(room.id);
    await env.command(ana, "transferRoom", { roomId: room.id, agentId: bo.id, agentName: "Bo" });
    await pushedAsStored(room.id);
    await env.command(carla, "closeRoom", { roomId: room.id });
    await pushedAsStored(room.id);

    // Read only for the room's first event and for the read to the middle.
    expect(asked).toEqual([room.id, room.id]);
    watch.unsubscribe();
  });
});
