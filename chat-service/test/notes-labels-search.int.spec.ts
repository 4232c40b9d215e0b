import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, refusal, startHarness, type Harness } from "./harness.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.start({ RELAY_ENABLED: "false" });
});
afterAll(async () => {
  await h?.close();
});

const eventCount = async () => Number((await h.sql`select count(*)::int as n from events`)[0]!.n);

/** A customer's room with a few messages, taken by an agent. */
const conversation = async (n: number, lines: string[]) => {
  const customer = h.as(people.customer(n));
  const agent = h.as(people.agent(n));
  const room = await customer.command("openRoom", {});
  await agent.command("claimRoom", { roomId: room.id });
  for (const [i, line] of lines.entries()) {
    const who = i % 2 === 0 ? customer : agent;
    await who.command("postMessage", { roomId: room.id, clientMessageId: `m-${i}`, message: line });
  }
  return { room, customer, agent };
};

describe("private notes", () => {
  it("are stored, listed for support staff, and idempotent per author and clientNoteId", async () => {
    const { room, agent } = await conversation(1, ["where is my parcel?", "checking now"]);
    const first = await agent.command("addNote", {
      roomId: room.id,
      clientNoteId: "note-1",
      text: "  carrier lost it; refund approved  ",
    });
    expect(first).toMatchObject({
      roomId: room.id,
      authorId: "agent-1",
      text: "carrier lost it; refund approved",
      afterSeq: 2,
    });
    const again = await agent.command("addNote", {
      roomId: room.id,
      clientNoteId: "note-1",
      text: "carrier lost it; refund approved",
    });
    expect(again.id).toBe(first.id);
    const byManager = await h.as(people.manager()).command("addNote", {
      roomId: room.id,
      clientNoteId: "note-1",
      text: "ok from me",
    });
    const { notes } = await h.as(people.agent(7)).query("listNotes", { roomId: room.id });
    expect(notes.map((n) => n.id)).toEqual([first.id, byManager.id]);
  });

  it("never appear in what customers read: messages, room, last message, unread counts", async () => {
    const { room, customer, agent } = await conversation(2, ["hello", "hi, one moment"]);
    const roomBefore = await customer.query("getRoom", { roomId: room.id });
    await agent.command("addNote", {
      roomId: room.id,
      clientNoteId: "secret",
      text: "SECRET-NOTE-TEXT",
    });
    const page = await customer.query("listMessages", { roomId: room.id });
    expect(page.messages).toHaveLength(2);
    expect(JSON.stringify(page)).not.toContain("SECRET-NOTE-TEXT");
    const roomAfter = await customer.query("getRoom", { roomId: room.id });
    expect(roomAfter).toEqual(roomBefore);
    const support = await agent.query("getRoom", { roomId: room.id });
    expect(support.lastMessage).toBe("hi, one moment");
  });

  it("are refused to customers, even in their own room, and change nothing", async () => {
    const { room, customer } = await conversation(3, ["hi"]);
    const before = await eventCount();
    for (const who of [customer, h.as(people.customer(99))]) {
      const add = await refusal(
        who.command("addNote", { roomId: room.id, clientNoteId: "x", text: "let me in" }),
      );
      expect(add.code).toBe("FORBIDDEN");
      expect((await refusal(who.query("listNotes", { roomId: room.id }))).code).toBe("FORBIDDEN");
    }
    expect(await eventCount()).toBe(before);
    const ghost = "00000000-0000-4000-8000-000000000000";
    const agent = h.as(people.agent(3));
    expect((await refusal(agent.query("listNotes", { roomId: ghost }))).code).toBe("NOT_FOUND");
    const empty = await refusal(
      agent.command("addNote", { roomId: room.id, clientNoteId: "e", text: "   " }),
    );
    expect(empty.code).toBe("MESSAGE_EMPTY");
    expect(await eventCount()).toBe(before);
  });
});

describe("labels", () => {
  it("are normalised, shown only to support staff, and filter the support room list", async () => {
    const { room, customer, agent } = await conversation(4, ["my refund please"]);
    const labelled = await agent.command("addLabel", { roomId: room.id, label: " Refund " });
    expect(labelled.labels).toEqual(["refund"]);
    await agent.command("addLabel", { roomId: room.id, label: "Late Delivery" });
    await agent.command("addLabel", { roomId: room.id, label: "refund" });
    expect((await agent.query("getRoom", { roomId: room.id })).labels).toEqual([
      "refund",
      "late-delivery",
    ]);
    expect(await customer.query("getRoom", { roomId: room.id })).not.toHaveProperty("labels");

    const other = await conversation(5, ["unrelated"]);
    const filtered = await agent.query("listSupportRooms", { label: "late-delivery" });
    expect(filtered.rooms.map((r) => r.id)).toEqual([room.id]);
    const all = await agent.query("listSupportRooms", {});
    expect(all.rooms.map((r) => r.id)).toEqual(expect.arrayContaining([room.id, other.room.id]));

    const removed = await agent.command("removeLabel", { roomId: room.id, label: "REFUND" });
    expect(removed.labels).toEqual(["late-delivery"]);
    expect((await agent.query("listSupportRooms", { label: "refund" })).rooms).toEqual([]);
  });

  it("refuses customers and bad labels without changing anything", async () => {
    const { room, customer, agent } = await conversation(6, ["hi"]);
    const before = await eventCount();
    const asCustomer = await refusal(
      customer.command("addLabel", { roomId: room.id, label: "vip" }),
    );
    expect(asCustomer.code).toBe("FORBIDDEN");
    const bad = await refusal(agent.command("addLabel", { roomId: room.id, label: "<b>x</b>" }));
    expect(bad).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await eventCount()).toBe(before);
  });
});

describe("search", () => {
  it("finds messages by words, product names and non-English words, with plain snippets", async () => {
    const { room } = await conversation(8, [
      "Meine <b>FullMag-X2</b> Jacke hat die falsche Größe",
      "Ich tausche sie gern um",
    ]);
    const agent = h.as(people.agent(8));
    for (const text of ["größe", "FullMag-X2", "fullmag", "JACKE"]) {
      const { results } = await agent.query("searchConversations", { text });
      const hit = results.find((r) => r.roomId === room.id);
      expect(hit, text).toMatchObject({ matchedIn: "message", seq: 1, customerName: "Customer 8" });
      const marked = hit!.highlights.map((x) => hit!.snippet.slice(x.start, x.end).toLowerCase());
      expect(marked.length, text).toBeGreaterThan(0);
      // ts_headline leaves markup tags out: the snippet is plain text.
      expect(hit!.snippet).toMatch(/^Meine\s+FullMag-X2\s+Jacke/);
      expect(hit!.snippet).not.toContain("<");
    }
    const phrase = await agent.query("searchConversations", { text: '"tausche sie"' });
    expect(phrase.results.map((r) => [r.roomId, r.seq])).toEqual([[room.id, 2]]);
    const none = await agent.query("searchConversations", { text: "größe -jacke" });
    expect(none.results.filter((r) => r.roomId === room.id)).toEqual([]);
  });

  it("finds rooms by customer name and label, and notes, and filters by label", async () => {
    const { room, agent } = await conversation(9, ["the zipper broke"]);
    await agent.command("addLabel", { roomId: room.id, label: "warranty-claim" });
    await agent.command("addNote", {
      roomId: room.id,
      clientNoteId: "n",
      text: "send a replacement zipper",
    });
    const byName = await agent.query("searchConversations", { text: "Customer 9" });
    expect(byName.results).toContainEqual(
      expect.objectContaining({ roomId: room.id, matchedIn: "room", seq: null }),
    );
    const byLabel = await agent.query("searchConversations", { text: "warranty-claim" });
    expect(byLabel.results.map((r) => [r.roomId, r.matchedIn])).toEqual([[room.id, "room"]]);
    const zipper = await agent.query("searchConversations", { text: "zipper" });
    expect(zipper.results.map((r) => r.matchedIn).sort()).toEqual(["message", "note"]);
    const note = zipper.results.find((r) => r.matchedIn === "note")!;
    expect(note).toMatchObject({ seq: 1, noteId: expect.any(String) });
    const filtered = await agent.query("searchConversations", {
      text: "zipper",
      label: "refund",
    });
    expect(filtered.results).toEqual([]);
  });

  it("pages through results without repeating or skipping any", async () => {
    const lines = Array.from({ length: 7 }, (_, i) => `pagingword number ${i}`);
    await conversation(10, lines);
    const agent = h.as(people.agent(10));
    const seen: number[] = [];
    let offset = 0;
    for (;;) {
      const page = await agent.query("searchConversations", {
        text: "pagingword",
        limit: 3,
        offset,
      });
      seen.push(...page.results.map((r) => r.seq!));
      if (!page.hasMore) break;
      offset += 3;
    }
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("is for support staff only, and odd input finds nothing rather than failing", async () => {
    const customer = h.as(people.customer(8));
    expect((await refusal(customer.query("searchConversations", { text: "größe" }))).code).toBe(
      "FORBIDDEN",
    );
    const agent = h.as(people.agent(1));
    for (const text of ["!!!", "&|:*", "' or 1=1 --", '"unclosed', "-"]) {
      const { results } = await agent.query("searchConversations", { text });
      expect(Array.isArray(results), text).toBe(true);
    }
  });
});
