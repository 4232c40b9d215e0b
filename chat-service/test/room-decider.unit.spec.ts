import {
  DomainError,
  type Actor,
  type ErrorCode,
  type RoomEventBody,
} from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import { decide, type RoomCommand } from "../src/domain/decide.js";
import { evolveAll, initialState } from "../src/domain/room.js";
import {
  admin,
  agent,
  assigned,
  closed,
  customer,
  manager,
  MESSAGE,
  opened,
  otherAgent,
  otherCustomer,
  posted,
  read,
  requeued,
  ROOM,
  router,
} from "./fixtures.js";

const rules = { messageMaxLength: 20 };
const NOW = new Date("2026-01-02T03:04:05.000Z");

type Data<T extends RoomCommand["type"]> = Extract<RoomCommand, { type: T }>["data"];
const command = <T extends RoomCommand["type"]>(type: T, data: Data<T>, actor: Actor) =>
  ({ type, data, metadata: { actor, now: NOW } }) as Extract<RoomCommand, { type: T }>;

const given = (...history: RoomEventBody[]) => ({
  when: (cmd: RoomCommand) => {
    const run = () => decide(cmd, evolveAll(initialState(), history, NOW), rules);
    return {
      then: (expected: RoomEventBody[]) => expect(run()).toEqual(expected),
      thenRefuses: (code: ErrorCode) => {
        let error: unknown;
        try {
          run();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(code);
        expect((error as DomainError).message.length).toBeGreaterThan(0);
      },
    };
  },
});

const post = (actor: Actor, text = "hello", clientMessageId = "cm-1") =>
  command("PostMessage", { roomId: ROOM, messageId: MESSAGE, clientMessageId, text }, actor);

describe("OpenRoom", () => {
  const open = (actor: Actor) => command("OpenRoom", { roomId: ROOM }, actor);

  it("opens a waiting room for a customer", () => {
    given()
      .when(open(customer))
      .then([
        {
          type: "RoomOpened",
          data: { roomId: ROOM, customerId: customer.id, customerName: customer.name },
        },
      ]);
  });

  it.each([agent, manager, admin, router])("refuses $role", (actor) => {
    given().when(open(actor)).thenRefuses("FORBIDDEN");
  });

  it("refuses to open a room id twice", () => {
    given(opened()).when(open(customer)).thenRefuses("CONFLICT");
  });
});

describe("PostMessage", () => {
  it("posts the customer's trimmed message with the next seq", () => {
    given(opened(), posted(1), posted(2, agent))
      .when(post(customer, "  where is my parcel?  "))
      .then([
        {
          type: "MessagePosted",
          data: {
            roomId: ROOM,
            messageId: MESSAGE,
            seq: 3,
            clientMessageId: "cm-1",
            senderId: customer.id,
            senderName: customer.name,
            senderRole: "customer",
            isFromSupport: false,
            message: "where is my parcel?",
          },
        },
      ]);
  });

  it.each([agent, manager, admin])("lets $role post in any room, marked as support", (actor) => {
    given(opened())
      .when(post(actor))
      .then([
        {
          type: "MessagePosted",
          data: {
            roomId: ROOM,
            messageId: MESSAGE,
            seq: 1,
            clientMessageId: "cm-1",
            senderId: actor.id,
            senderName: actor.name,
            senderRole: actor.role as "agent",
            isFromSupport: true,
            message: "hello",
          },
        },
      ]);
  });

  it("answers a retry with the same client message id with no new event", () => {
    given(opened(), posted(1, customer, "cm-1"))
      .when(post(customer, "hello", "cm-1"))
      .then([]);
  });

  it("treats the same client message id from another sender as a new message", () => {
    const events = decide(
      post(agent, "hi", "cm-1"),
      evolveAll(initialState(), [opened(), posted(1, customer, "cm-1")], NOW),
      rules,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ data: { seq: 2, senderId: agent.id } });
  });

  it("refuses an unknown room", () => {
    given().when(post(customer)).thenRefuses("NOT_FOUND");
  });

  it("refuses a closed room", () => {
    given(opened(), closed()).when(post(customer)).thenRefuses("ROOM_CLOSED");
    given(opened(), closed()).when(post(agent)).thenRefuses("ROOM_CLOSED");
  });

  it("refuses another customer's room", () => {
    given(opened()).when(post(otherCustomer)).thenRefuses("FORBIDDEN");
  });

  it("refuses a service posting as if it were a person", () => {
    given(opened()).when(post(router)).thenRefuses("FORBIDDEN");
  });

  it("refuses an empty message", () => {
    given(opened()).when(post(customer, "   \n ")).thenRefuses("MESSAGE_EMPTY");
  });

  it("refuses a message over the configured length", () => {
    given(opened())
      .when(post(customer, "x".repeat(21)))
      .thenRefuses("MESSAGE_TOO_LONG");
  });
});

describe("MarkRead", () => {
  const mark = (actor: Actor, upToSeq?: number) =>
    command("MarkRead", { roomId: ROOM, upToSeq }, actor);

  it("marks the customer's side read up to the last message by default", () => {
    given(opened(), posted(1), posted(2, agent))
      .when(mark(customer))
      .then([
        {
          type: "MessagesRead",
          data: { roomId: ROOM, readerId: customer.id, side: "customer", upToSeq: 2 },
        },
      ]);
  });

  it("marks the support side read up to the given seq", () => {
    given(opened(), posted(1), posted(2), posted(3))
      .when(mark(agent, 2))
      .then([
        {
          type: "MessagesRead",
          data: { roomId: ROOM, readerId: agent.id, side: "support", upToSeq: 2 },
        },
      ]);
  });

  it("does nothing when nothing new is read", () => {
    given(opened(), posted(1), read("customer", 1, customer))
      .when(mark(customer))
      .then([]);
    given(opened(), posted(1), posted(2), read("support", 2, agent))
      .when(mark(agent, 1))
      .then([]);
    given(opened()).when(mark(customer)).then([]);
  });

  it("lets a side read a closed room", () => {
    given(opened(), posted(1, agent), closed())
      .when(mark(customer))
      .then([
        {
          type: "MessagesRead",
          data: { roomId: ROOM, readerId: customer.id, side: "customer", upToSeq: 1 },
        },
      ]);
  });

  it("refuses a seq past the last message", () => {
    given(opened(), posted(1)).when(mark(customer, 2)).thenRefuses("VALIDATION_FAILED");
  });

  it("refuses an unknown room", () => {
    given().when(mark(customer)).thenRefuses("NOT_FOUND");
  });

  it("refuses another customer's room and services", () => {
    given(opened(), posted(1)).when(mark(otherCustomer)).thenRefuses("FORBIDDEN");
    given(opened(), posted(1)).when(mark(router)).thenRefuses("FORBIDDEN");
  });
});

describe("ClaimRoom", () => {
  const claim = (actor: Actor) => command("ClaimRoom", { roomId: ROOM }, actor);

  it("assigns a waiting room to the agent who opens it", () => {
    given(opened())
      .when(claim(agent))
      .then([
        {
          type: "AgentAssigned",
          data: {
            roomId: ROOM,
            agentId: agent.id,
            agentName: agent.name,
            reason: "claimed",
            previousAgentId: null,
          },
        },
      ]);
  });

  it("does nothing when the room is already the agent's", () => {
    given(opened(), assigned(agent)).when(claim(agent)).then([]);
  });

  it.each([manager, admin])("lets a $role take over as a transfer", (actor) => {
    given(opened(), assigned(agent))
      .when(claim(actor))
      .then([
        {
          type: "AgentAssigned",
          data: {
            roomId: ROOM,
            agentId: actor.id,
            agentName: actor.name,
            reason: "transferred",
            previousAgentId: agent.id,
          },
        },
      ]);
  });

  it("refuses an agent when another agent has the room", () => {
    given(opened(), assigned(agent)).when(claim(otherAgent)).thenRefuses("ALREADY_ASSIGNED");
  });

  it.each([customer, router])("refuses $role", (actor) => {
    given(opened()).when(claim(actor)).thenRefuses("FORBIDDEN");
  });

  it("refuses unknown and closed rooms", () => {
    given().when(claim(agent)).thenRefuses("NOT_FOUND");
    given(opened(), closed()).when(claim(agent)).thenRefuses("ROOM_CLOSED");
  });
});

describe("AssignRoom", () => {
  const assign = (actor: Actor, to: Actor = agent) =>
    command("AssignRoom", { roomId: ROOM, agentId: to.id, agentName: to.name }, actor);

  it("routes a waiting room to the chosen agent", () => {
    given(opened(), posted(1))
      .when(assign(router))
      .then([
        {
          type: "AgentAssigned",
          data: {
            roomId: ROOM,
            agentId: agent.id,
            agentName: agent.name,
            reason: "routed",
            previousAgentId: null,
          },
        },
      ]);
  });

  it("routes a room that was requeued", () => {
    given(opened(), assigned(agent), requeued())
      .when(assign(router, otherAgent))
      .then([
        {
          type: "AgentAssigned",
          data: {
            roomId: ROOM,
            agentId: otherAgent.id,
            agentName: otherAgent.name,
            reason: "routed",
            previousAgentId: null,
          },
        },
      ]);
  });

  it.each([customer, agent, manager, admin])("refuses $role; only the router assigns", (actor) => {
    given(opened()).when(assign(actor)).thenRefuses("FORBIDDEN");
  });

  it("refuses a room that is already assigned", () => {
    given(opened(), assigned(otherAgent)).when(assign(router)).thenRefuses("ALREADY_ASSIGNED");
  });

  it("refuses unknown and closed rooms", () => {
    given().when(assign(router)).thenRefuses("NOT_FOUND");
    given(opened(), closed()).when(assign(router)).thenRefuses("ROOM_CLOSED");
  });
});

describe("TransferRoom", () => {
  const transfer = (actor: Actor, to: Actor = otherAgent) =>
    command("TransferRoom", { roomId: ROOM, agentId: to.id, agentName: to.name }, actor);
  const transferredTo = (to: Actor, from: Actor): RoomEventBody => ({
    type: "AgentAssigned",
    data: {
      roomId: ROOM,
      agentId: to.id,
      agentName: to.name,
      reason: "transferred",
      previousAgentId: from.id,
    },
  });

  it("lets the assigned agent hand the room over", () => {
    given(opened(), assigned(agent))
      .when(transfer(agent))
      .then([transferredTo(otherAgent, agent)]);
  });

  it.each([manager, admin])("lets a $role move any assigned room", (actor) => {
    given(opened(), assigned(agent))
      .when(transfer(actor))
      .then([transferredTo(otherAgent, agent)]);
  });

  it("does nothing when the target already has the room", () => {
    given(opened(), assigned(otherAgent)).when(transfer(manager)).then([]);
  });

  it("refuses an agent moving someone else's room", () => {
    given(opened(), assigned(agent)).when(transfer(otherAgent, admin)).thenRefuses("FORBIDDEN");
  });

  it.each([customer, router])("refuses $role", (actor) => {
    given(opened(), assigned(agent)).when(transfer(actor)).thenRefuses("FORBIDDEN");
  });

  it("refuses a room nobody has", () => {
    given(opened()).when(transfer(manager)).thenRefuses("NOT_ASSIGNED");
  });

  it("refuses unknown and closed rooms", () => {
    given().when(transfer(manager)).thenRefuses("NOT_FOUND");
    given(opened(), assigned(agent), closed()).when(transfer(agent)).thenRefuses("ROOM_CLOSED");
  });
});

describe("RequeueRoom", () => {
  const requeue = (actor: Actor) =>
    command("RequeueRoom", { roomId: ROOM, reason: "agent_offline" }, actor);
  const back: RoomEventBody = {
    type: "RoomRequeued",
    data: { roomId: ROOM, previousAgentId: agent.id, reason: "agent_offline" },
  };

  it.each([router, manager, admin, agent])("lets $role put an assigned room back", (actor) => {
    given(opened(), assigned(agent)).when(requeue(actor)).then([back]);
  });

  it("refuses an agent who does not have the room", () => {
    given(opened(), assigned(agent)).when(requeue(otherAgent)).thenRefuses("FORBIDDEN");
  });

  it("refuses customers", () => {
    given(opened(), assigned(agent)).when(requeue(customer)).thenRefuses("FORBIDDEN");
  });

  it("refuses a room nobody has", () => {
    given(opened()).when(requeue(router)).thenRefuses("NOT_ASSIGNED");
    given(opened(), assigned(agent), requeued()).when(requeue(router)).thenRefuses("NOT_ASSIGNED");
  });

  it("refuses unknown and closed rooms", () => {
    given().when(requeue(router)).thenRefuses("NOT_FOUND");
    given(opened(), assigned(agent), closed()).when(requeue(router)).thenRefuses("ROOM_CLOSED");
  });

  it("puts the room back when the expected agent still holds it", () => {
    const expecting = (agentId: string) =>
      command(
        "RequeueRoom",
        { roomId: ROOM, reason: "agent_offline", expectedAgentId: agentId },
        router,
      );
    given(opened(), assigned(agent)).when(expecting(agent.id)).then([back]);
  });

  it("refuses when the room has moved on to another agent meanwhile", () => {
    const stale = command(
      "RequeueRoom",
      { roomId: ROOM, reason: "agent_offline", expectedAgentId: otherAgent.id },
      router,
    );
    given(opened(), assigned(agent)).when(stale).thenRefuses("CONFLICT");
  });
});

describe("CloseRoom", () => {
  const close = (actor: Actor) => command("CloseRoom", { roomId: ROOM }, actor);

  it.each([customer, agent, manager, admin, router])("lets $role close the room", (actor) => {
    given(opened(), posted(1))
      .when(close(actor))
      .then([
        {
          type: "RoomClosed",
          data: { roomId: ROOM, closedBy: actor.id, closedByRole: actor.role },
        },
      ]);
  });

  it("does nothing when the room is already closed", () => {
    given(opened(), closed()).when(close(customer)).then([]);
  });

  it("refuses another customer", () => {
    given(opened()).when(close(otherCustomer)).thenRefuses("FORBIDDEN");
  });

  it("refuses an unknown room", () => {
    given().when(close(customer)).thenRefuses("NOT_FOUND");
  });
});
