import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, refusal, startHarness, type Harness } from "./harness.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.start();
});
afterAll(async () => {
  await h?.close();
});

const customer = people.customer(7);
const agent = people.agent(7);
const router = people.router();

/** A room with a message from each side and a private note, assigned to the agent. */
const conversation = async () => {
  const room = await h.as(customer).command("openRoom", {});
  await h.as(customer).command("postMessage", {
    roomId: room.id,
    clientMessageId: "c-1",
    message: "Where is <b>my</b> parcel?",
  });
  await h.as(agent).command("claimRoom", { roomId: room.id });
  await h.as(agent).command("postMessage", {
    roomId: room.id,
    clientMessageId: "a-1",
    message: "On its way & due tomorrow",
  });
  await h.as(agent).command("addNote", {
    roomId: room.id,
    clientNoteId: "n-1",
    text: "SECRET: customer sounded upset",
  });
  return room;
};

describe("ratings through the chat service", () => {
  it("puts the rating on both sides' views of the room, and refuses a second one", async () => {
    const room = await conversation();
    expect(
      (await refusal(h.as(customer).command("rateRoom", { roomId: room.id, score: 5 }))).code,
    ).toBe("CONFLICT");
    await h.as(customer).command("closeRoom", { roomId: room.id });
    const rating = await h
      .as(customer)
      .command("rateRoom", { roomId: room.id, score: 4, comment: " fine " });
    expect(rating).toMatchObject({ score: 4, comment: "fine" });

    const supportView = await h.as(agent).query("getRoom", { roomId: room.id });
    const customerView = await h.as(customer).query("getRoom", { roomId: room.id });
    expect(supportView.rating).toEqual(rating);
    expect(customerView.rating).toEqual(rating);
    const { rooms } = await h.as(agent).query("listSupportRooms", { status: ["closed"] });
    expect(rooms.find((r) => r.id === room.id)?.rating?.score).toBe(4);

    expect(
      (await refusal(h.as(customer).command("rateRoom", { roomId: room.id, score: 1 }))).code,
    ).toBe("CONFLICT");
    expect(
      (await refusal(h.as(agent).command("rateRoom", { roomId: room.id, score: 5 }))).code,
    ).toBe("FORBIDDEN");
    expect(
      (await refusal(h.as(people.customer(8)).command("rateRoom", { roomId: room.id, score: 5 })))
        .code,
    ).toBe("FORBIDDEN");
    // Nothing changed by the refusals.
    expect((await h.as(agent).query("getRoom", { roomId: room.id })).rating).toEqual(rating);
  });
});

describe("transcripts through the chat service", () => {
  it("gives services the room's messages and never its notes", async () => {
    const room = await conversation();
    const transcript = await h.as(router).query("getTranscript", { roomId: room.id });
    expect(transcript.lines.map((l) => l.message)).toEqual([
      "Where is <b>my</b> parcel?",
      "On its way & due tomorrow",
    ]);
    expect(JSON.stringify(transcript)).not.toContain("SECRET");
    expect(transcript).toMatchObject({ customerName: customer.name, agentName: agent.name });

    expect((await refusal(h.as(agent).query("getTranscript", { roomId: room.id }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await refusal(h.as(customer).query("getRoomContact", { roomId: room.id }))).code).toBe(
      "FORBIDDEN",
    );
  });

  it("records the opt-in address as the room's contact and asks for the transcript at close", async () => {
    const room = await conversation();
    await h
      .as(customer)
      .command("setTranscriptAtClose", { roomId: room.id, email: "Carla@Example.com" });
    const contact = await h.as(router).query("getRoomContact", { roomId: room.id });
    expect(contact).toMatchObject({ customerId: customer.id, email: "carla@example.com" });

    await h.as(agent).command("closeRoom", { roomId: room.id });
    const events = await h.sql`
      select type, data from events where stream_id = ${`room-${room.id}`}
      order by stream_position`;
    const types = events.map((e) => e["type"] as string);
    expect(types.slice(-2)).toEqual(["RoomClosed", "TranscriptRequested"]);
    expect(events.at(-1)?.["data"]).toMatchObject({
      email: "carla@example.com",
      reason: "closed",
      upToSeq: 2,
    });
  });

  it("refuses a transcript to anyone but the room's customer, changing nothing", async () => {
    const room = await conversation();
    for (const actor of [agent, people.customer(9), router]) {
      const refused = await refusal(
        h.as(actor).command("requestTranscript", { roomId: room.id, email: "x@example.com" }),
      );
      expect(refused.code).toBe("FORBIDDEN");
    }
    const [row] = await h.sql`select count(*)::int as n from events
      where stream_id = ${`room-${room.id}`} and type = 'TranscriptRequested'`;
    expect(row?.["n"]).toBe(0);
  });
});
