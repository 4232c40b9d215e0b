import { describe, expect, it } from "vitest";
import { ConversationView } from "../src/domain/conversation-view.js";

const message = (seq: number, id = `m${seq}`, clientMessageId = `c${seq}`) => ({
  id,
  seq,
  senderId: "customer-1",
  clientMessageId,
  message: `text ${seq}`,
});

describe("a client's copy of a conversation", () => {
  it("shows messages once and in seq order, whatever order and however often they arrive", () => {
    const view = new ConversationView("room-1");
    view.receive(message(2), "push");
    view.receive(message(1), "fetch");
    view.receive(message(2), "fetch");
    view.receive(message(3), "ack");
    view.receive(message(3), "push");

    expect(view.shown().map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(view.redundantArrivals).toBe(2);
    expect(view.anomalies).toEqual([]);
    expect(view.arrivalOf(1)).toBe("fetch");
  });

  it("knows where a catch-up starts and when a gap is open", () => {
    const view = new ConversationView("room-1");
    view.receive(message(1), "push");
    expect(view.hasHole).toBe(false);

    view.receive(message(4), "push");
    expect(view.contiguousSeq).toBe(1);
    expect(view.hasHole).toBe(true);

    view.receive(message(2), "fetch");
    view.receive(message(3), "fetch");
    expect(view.contiguousSeq).toBe(4);
    expect(view.hasHole).toBe(false);
  });

  it("takes a room snapshot's last seq as news of messages it has not seen", () => {
    const view = new ConversationView("room-1");
    view.receive(message(1), "push");
    view.heardOfSeq(3);
    expect(view.hasHole).toBe(true);
  });

  it("records a seq that arrives with a different message", () => {
    const view = new ConversationView("room-1");
    view.receive(message(1, "a"), "push");
    view.receive(message(1, "b"), "fetch");
    expect(view.anomalies).toEqual([
      { kind: "seq-conflict", roomId: "room-1", seq: 1, detail: "a and b" },
    ]);
  });

  it("records one sent message shown at two seqs", () => {
    const view = new ConversationView("room-1");
    view.receive(message(1, "a", "same"), "push");
    view.receive(message(2, "b", "same"), "push");
    expect(view.anomalies.map((a) => a.kind)).toEqual(["shown-twice"]);
    expect(view.anomalies[0]!.detail).toBe("same already at 1");
  });

  it("counts pushes that arrive behind a later one", () => {
    const view = new ConversationView("room-1");
    view.receive(message(2), "push");
    view.receive(message(1), "push");
    expect(view.pushesOutOfOrder).toBe(1);
  });
});
