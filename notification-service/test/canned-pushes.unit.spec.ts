import { describe, expect, it } from "vitest";
import { socketRooms, type RecordedCannedEvent } from "@support-chat/contracts";
import { cannedPushes } from "../src/domain/canned-pushes.js";

const ID = "5a0c7d3e-1b2f-4c3d-8e4f-5a6b7c8d9e0f";
const metadata = (streamPosition: number): RecordedCannedEvent["metadata"] => ({
  eventId: "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d",
  streamId: `canned-${ID}`,
  streamPosition,
  globalPosition: 40 + streamPosition,
  actor: { id: "mgr-1", name: "Mia Manager", role: "manager" },
  correlationId: "corr-1",
  causationId: null,
  occurredAt: "2026-01-02T03:04:05.000Z",
});
const fields = { cannedResponseId: ID, title: "Refunds", shortcut: "refund", text: "5 days." };

describe("canned response pushes", () => {
  it.for(["CannedResponseCreated", "CannedResponseEdited"] as const)(
    "%s tells every support console the whole response at its version",
    (type) => {
      expect(cannedPushes({ type, data: fields, metadata: metadata(2) })).toEqual([
        {
          rooms: [socketRooms.agents],
          event: "cannedResponseChanged",
          payload: {
            change: "saved",
            response: {
              id: ID,
              title: "Refunds",
              shortcut: "refund",
              text: "5 days.",
              version: 2,
              updatedAt: "2026-01-02T03:04:05.000Z",
              updatedByName: "Mia Manager",
            },
          },
        },
      ]);
    },
  );

  it("a deletion tells them the id and the version it happened at, and nothing else", () => {
    expect(
      cannedPushes({
        type: "CannedResponseDeleted",
        data: { cannedResponseId: ID, shortcut: "refund" },
        metadata: metadata(3),
      }),
    ).toEqual([
      {
        rooms: [socketRooms.agents],
        event: "cannedResponseChanged",
        payload: { change: "deleted", id: ID, version: 3 },
      },
    ]);
  });

  it("never goes to a customer's room or user room", () => {
    const pushes = cannedPushes({
      type: "CannedResponseCreated",
      data: fields,
      metadata: metadata(1),
    });
    expect(pushes.flatMap((p) => p.rooms)).toEqual(["agents"]);
  });
});
