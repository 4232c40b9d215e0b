import type { Actor } from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import { assertMaySeeRoom, assertSupportOrSystem, assertSystem } from "../src/domain/access.js";
import type { ChatRoomRow } from "../src/adapters/store/schema.js";
import { roomView } from "../src/adapters/store/views.js";
import { agent, customer, manager, otherCustomer, router, ROOM } from "./fixtures.js";

const row: ChatRoomRow = {
  id: ROOM,
  userId: customer.id,
  userName: customer.name,
  supportAgentId: agent.id,
  supportAgentName: agent.name,
  status: "open",
  lastMessage: "thanks",
  lastSeq: 7,
  lastMessageAt: new Date("2026-01-01T10:05:00.000Z"),
  closedAt: null,
  labels: ["refund", "vip"],
  rating: null,
  ratingComment: null,
  ratedAt: null,
  contactEmail: null,
  unreadForCustomer: 2,
  unreadForSupport: 3,
  readSeqCustomer: 4,
  readSeqSupport: 5,
  assignedAt: new Date("2026-01-01T10:01:00.000Z"),
  createdAt: new Date("2026-01-01T10:00:00.000Z"),
  updatedAt: new Date("2026-01-01T10:05:00.000Z"),
  version: 12,
};

describe("room views", () => {
  it("gives each side its own unread count", () => {
    expect(roomView(row, "customer").unreadCount).toBe(2);
    expect(roomView(row, "support").unreadCount).toBe(3);
  });

  it("speaks the seed's shape with ISO times", () => {
    expect(roomView(row, "customer")).toEqual({
      id: ROOM,
      userId: customer.id,
      supportAgentId: agent.id,
      status: "open",
      lastMessage: "thanks",
      unreadCount: 2,
      createdAt: "2026-01-01T10:00:00.000Z",
      updatedAt: "2026-01-01T10:05:00.000Z",
      userName: customer.name,
      supportAgentName: agent.name,
      lastSeq: 7,
      lastMessageAt: "2026-01-01T10:05:00.000Z",
      closedAt: null,
    });
  });
});

describe("labels in room views", () => {
  it("are in support staff's view and never in the customer's", () => {
    expect(roomView(row, "support").labels).toEqual(["refund", "vip"]);
    expect(roomView(row, "customer")).not.toHaveProperty("labels");
    expect(JSON.stringify(roomView(row, "customer"))).not.toContain("refund");
  });
});

describe("who may see what", () => {
  const room = { id: ROOM, userId: customer.id };
  const refusedFor = (check: (actor: Actor) => void, actor: Actor) => {
    try {
      check(actor);
      return undefined;
    } catch (e) {
      return (e as { code: string }).code;
    }
  };

  it("lets a customer see only their own room, and staff and services any", () => {
    const see = (actor: Actor) => assertMaySeeRoom(actor, room);
    expect(refusedFor(see, customer)).toBeUndefined();
    expect(refusedFor(see, agent)).toBeUndefined();
    expect(refusedFor(see, router)).toBeUndefined();
    expect(refusedFor(see, otherCustomer)).toBe("FORBIDDEN");
  });

  it("keeps support lists from customers and both-side views for services", () => {
    const list = (actor: Actor) => assertSupportOrSystem(actor, "list");
    const views = (actor: Actor) => assertSystem(actor, "see both sides");
    expect(refusedFor(list, customer)).toBe("FORBIDDEN");
    expect(refusedFor(list, manager)).toBeUndefined();
    expect(refusedFor(views, manager)).toBe("FORBIDDEN");
    expect(refusedFor(views, router)).toBeUndefined();
  });
});
