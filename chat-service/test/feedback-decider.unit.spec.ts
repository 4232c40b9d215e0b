import {
  DomainError,
  FEEDBACK_LIMITS,
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
  opened,
  otherCustomer,
  posted,
  ROOM,
  router,
} from "./fixtures.js";

const rules = { messageMaxLength: 2000 };
const NOW = new Date("2026-01-02T03:04:05.000Z");
const REQUEST = "11111111-2222-4333-8444-555555555555";
const CLOSE_REQUEST = "99999999-8888-4777-8666-555555555555";
const EMAIL = "carla@example.com";

type Data<T extends RoomCommand["type"]> = Extract<RoomCommand, { type: T }>["data"];
const command = <T extends RoomCommand["type"]>(type: T, data: Data<T>, actor: Actor) =>
  ({ type, data, metadata: { actor, now: NOW } }) as Extract<RoomCommand, { type: T }>;

const rate = (score: number, comment: string | null = null, by: Actor = customer) =>
  command("RateRoom", { roomId: ROOM, score, comment }, by);
const askTranscript = (by: Actor = customer, email = EMAIL) =>
  command("RequestTranscript", { roomId: ROOM, requestId: REQUEST, email }, by);
const optIn = (email: string | null, by: Actor = customer) =>
  command("SetTranscriptAtClose", { roomId: ROOM, email }, by);
const close = (by: Actor = customer) =>
  command("CloseRoom", { roomId: ROOM, transcriptRequestId: CLOSE_REQUEST }, by);

const rated = (score: number, comment: string | null = null): RoomEventBody => ({
  type: "RoomRated",
  data: { roomId: ROOM, customerId: customer.id, score, comment },
});
const requested = (upToSeq: number, reason: "requested" | "closed" = "requested") => ({
  type: "TranscriptRequested" as const,
  data: {
    roomId: ROOM,
    requestId: reason === "closed" ? CLOSE_REQUEST : REQUEST,
    email: EMAIL,
    reason,
    upToSeq,
  },
});
const optedIn = (email: string | null): RoomEventBody => ({
  type: "TranscriptAtCloseChanged",
  data: { roomId: ROOM, email },
});

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
      },
    };
  },
});

const conversation = [opened(), posted(1), assigned(), posted(2, agent)];

describe("rating a room", () => {
  it("records the customer's rating once the room is closed, comment trimmed", () => {
    given(...conversation, closed())
      .when(rate(5, "  quick and kind  "))
      .then([rated(5, "quick and kind")]);
  });

  it("records an empty comment as no comment", () => {
    given(...conversation, closed())
      .when(rate(3, "   "))
      .then([rated(3, null)]);
  });

  it("is refused before the room is closed", () => {
    given(...conversation)
      .when(rate(4))
      .thenRefuses("CONFLICT");
  });

  it("is refused a second time with another rating", () => {
    given(...conversation, closed(), rated(5))
      .when(rate(1, "changed my mind"))
      .thenRefuses("CONFLICT");
  });

  it("changes nothing when the same rating is sent again (a retry)", () => {
    given(...conversation, closed(), rated(4, "ok"))
      .when(rate(4, "ok"))
      .then([]);
  });

  it("is refused to another customer, agents, managers, admins and services", () => {
    for (const actor of [otherCustomer, agent, manager, admin, router]) {
      given(...conversation, closed())
        .when(rate(5, null, actor))
        .thenRefuses("FORBIDDEN");
    }
  });

  it("refuses scores outside 1 to 5 and fractions", () => {
    for (const score of [0, 6, -1, 2.5, Number.NaN]) {
      given(...conversation, closed())
        .when(rate(score))
        .thenRefuses("VALIDATION_FAILED");
    }
  });

  it("refuses a comment over the limit and one Postgres cannot store", () => {
    const long = "x".repeat(FEEDBACK_LIMITS.commentMaxLength + 1);
    given(...conversation, closed())
      .when(rate(2, long))
      .thenRefuses("MESSAGE_TOO_LONG");
    given(...conversation, closed())
      .when(rate(2, "nul \u0000 inside"))
      .thenRefuses("VALIDATION_FAILED");
  });

  it("is refused for a room that does not exist", () => {
    given().when(rate(5)).thenRefuses("NOT_FOUND");
  });
});

describe("asking for the transcript", () => {
  it("records the request with the last message it covers", () => {
    given(...conversation)
      .when(askTranscript())
      .then([requested(2)]);
  });

  it("may be asked for after the close too", () => {
    given(...conversation, closed())
      .when(askTranscript())
      .then([requested(2)]);
  });

  it("is refused to anyone but the room's customer", () => {
    for (const actor of [otherCustomer, agent, manager, router]) {
      given(...conversation)
        .when(askTranscript(actor))
        .thenRefuses("FORBIDDEN");
    }
  });

  it(`is refused past ${FEEDBACK_LIMITS.transcriptsPerRoom} transcripts per room`, () => {
    const earlier = Array.from({ length: FEEDBACK_LIMITS.transcriptsPerRoom }, () => requested(2));
    given(...conversation, ...earlier)
      .when(askTranscript())
      .thenRefuses("RATE_LIMITED");
  });
});

describe("the transcript at close", () => {
  it("records the opt-in, and nothing when it does not change", () => {
    given(...conversation)
      .when(optIn(EMAIL))
      .then([optedIn(EMAIL)]);
    given(...conversation, optedIn(EMAIL))
      .when(optIn(EMAIL))
      .then([]);
  });

  it("is asked for by the close itself, in the same decision", () => {
    given(...conversation, optedIn(EMAIL))
      .when(close(agent))
      .then([
        {
          type: "RoomClosed",
          data: { roomId: ROOM, closedBy: agent.id, closedByRole: "agent" },
        },
        requested(2, "closed"),
      ]);
  });

  it("is not asked for after the customer opted out", () => {
    given(...conversation, optedIn(EMAIL), optedIn(null))
      .when(close())
      .then([
        {
          type: "RoomClosed",
          data: { roomId: ROOM, closedBy: customer.id, closedByRole: "customer" },
        },
      ]);
  });

  it("cannot be set once the room is closed, nor by anyone but the customer", () => {
    given(...conversation, closed())
      .when(optIn(EMAIL))
      .thenRefuses("ROOM_CLOSED");
    given(...conversation)
      .when(optIn(EMAIL, agent))
      .thenRefuses("FORBIDDEN");
  });
});
