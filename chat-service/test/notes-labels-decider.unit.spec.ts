import {
  DomainError,
  LABEL_LIMITS,
  NOTE_LIMITS,
  type Actor,
  type ErrorCode,
  type RoomEventBody,
} from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import { decide, type RoomCommand } from "../src/domain/decide.js";
import { evolveAll, initialState, roomExists } from "../src/domain/room.js";
import {
  admin,
  agent,
  assigned,
  closed,
  customer,
  manager,
  opened,
  otherAgent,
  otherCustomer,
  posted,
  ROOM,
  router,
} from "./fixtures.js";

const rules = { messageMaxLength: 2000 };
const NOW = new Date("2026-01-02T03:04:05.000Z");
const NOTE = "5a1e3c2b-0f9d-4c8b-a7e6-d5c4b3a29180";

type Data<T extends RoomCommand["type"]> = Extract<RoomCommand, { type: T }>["data"];
const command = <T extends RoomCommand["type"]>(type: T, data: Data<T>, actor: Actor) =>
  ({ type, data, metadata: { actor, now: NOW } }) as Extract<RoomCommand, { type: T }>;

const given = (...history: RoomEventBody[]) => ({
  when: (cmd: RoomCommand) => {
    const run = () => decide(cmd, evolveAll(initialState(), history, NOW), rules);
    return {
      then: (expected: RoomEventBody[]) => expect(run()).toEqual(expected),
      thenRefuses: (code: ErrorCode, message?: RegExp) => {
        let error: unknown;
        try {
          run();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(code);
        expect((error as DomainError).message).toMatch(message ?? /./);
      },
    };
  },
});

const note = (actor: Actor, text = "customer wants a refund", clientNoteId = "n-1") =>
  command("AddNote", { roomId: ROOM, noteId: NOTE, clientNoteId, text }, actor);

const noteAdded = (by: Actor, afterSeq: number, clientNoteId = "n-1", text = "a note") =>
  ({
    type: "NoteAdded",
    data: {
      roomId: ROOM,
      noteId: NOTE,
      clientNoteId,
      authorId: by.id,
      authorName: by.name,
      authorRole: by.role === "system" ? "admin" : by.role,
      text,
      afterSeq,
    },
  }) satisfies RoomEventBody;

const label = (actor: Actor, raw: string) =>
  command("AddLabel", { roomId: ROOM, label: raw }, actor);
const unlabel = (actor: Actor, raw: string) =>
  command("RemoveLabel", { roomId: ROOM, label: raw }, actor);
const labelAdded = (l: string): RoomEventBody => ({
  type: "LabelAdded",
  data: { roomId: ROOM, label: l },
});
const labelRemoved = (l: string): RoomEventBody => ({
  type: "LabelRemoved",
  data: { roomId: ROOM, label: l },
});

describe("AddNote", () => {
  it("records a note by support staff after the room's last message, trimmed", () => {
    given(opened(), posted(1), assigned(), posted(2, agent))
      .when(note(otherAgent, "  check the refund policy  "))
      .then([noteAdded(otherAgent, 2, "n-1", "check the refund policy")]);
  });

  it("lets managers and admins write notes too, in closed rooms as well", () => {
    given(opened(), closed())
      .when(note(manager))
      .then([noteAdded(manager, 0, "n-1", "customer wants a refund")]);
    given(opened())
      .when(note(admin))
      .then([noteAdded(admin, 0, "n-1", "customer wants a refund")]);
  });

  it("answers a retry with the same clientNoteId without a second note", () => {
    given(opened(), noteAdded(agent, 0)).when(note(agent)).then([]);
  });

  it("takes the same clientNoteId from another author as a different note", () => {
    given(opened(), noteAdded(agent, 0))
      .when(note(otherAgent, "second opinion"))
      .then([noteAdded(otherAgent, 0, "n-1", "second opinion")]);
  });

  it("refuses customers, their own room included, and services", () => {
    given(opened())
      .when(note(customer))
      .thenRefuses("FORBIDDEN", /support staff/);
    given(opened()).when(note(otherCustomer)).thenRefuses("FORBIDDEN");
    given(opened()).when(note(router)).thenRefuses("FORBIDDEN");
  });

  it("refuses an unknown room, an empty note and a note that is too long", () => {
    given().when(note(agent)).thenRefuses("NOT_FOUND");
    given(opened())
      .when(note(agent, "   "))
      .thenRefuses("MESSAGE_EMPTY", /note is empty/);
    given(opened())
      .when(note(agent, "x".repeat(NOTE_LIMITS.maxLength + 1)))
      .thenRefuses("MESSAGE_TOO_LONG");
    given(opened()).when(note(agent, "bad \u0000 byte")).thenRefuses("VALIDATION_FAILED");
  });

  it("refuses a note past the most a room may hold", () => {
    const full = Array.from({ length: NOTE_LIMITS.maxPerRoom }, (_, i) =>
      noteAdded(agent, 0, `n-${i + 100}`),
    );
    given(opened(), ...full)
      .when(note(agent))
      .thenRefuses("VALIDATION_FAILED", /notes/);
  });

  it("keeps the note out of everything the customer's side of the room counts", () => {
    const room = evolveAll(initialState(), [opened(), posted(1), noteAdded(agent, 1)], NOW);
    if (!roomExists(room)) throw new Error("room expected");
    expect(room.lastSeq).toBe(1);
    expect(room.messages.size).toBe(1);
    expect(room.notes.size).toBe(1);
  });
});

describe("AddLabel / RemoveLabel", () => {
  it("normalises a label and adds it", () => {
    given(opened())
      .when(label(agent, "  Late Delivery "))
      .then([labelAdded("late-delivery")]);
    given(opened())
      .when(label(manager, "Größe"))
      .then([labelAdded("größe")]);
  });

  it("adds a label the room already has only once", () => {
    given(opened(), labelAdded("refund")).when(label(agent, "REFUND")).then([]);
  });

  it("labels closed rooms too", () => {
    given(opened(), closed())
      .when(label(admin, "refund"))
      .then([labelAdded("refund")]);
  });

  it("removes a label, and removing one that is not there changes nothing", () => {
    given(opened(), labelAdded("refund"))
      .when(unlabel(agent, "Refund"))
      .then([labelRemoved("refund")]);
    given(opened(), labelAdded("refund"), labelRemoved("refund"))
      .when(unlabel(agent, "refund"))
      .then([]);
  });

  it("refuses customers and services", () => {
    given(opened()).when(label(customer, "refund")).thenRefuses("FORBIDDEN");
    given(opened()).when(unlabel(otherCustomer, "refund")).thenRefuses("FORBIDDEN");
    given(opened()).when(label(router, "refund")).thenRefuses("FORBIDDEN");
  });

  it("refuses labels that are empty, too long or of the wrong characters", () => {
    given(opened()).when(label(agent, "   ")).thenRefuses("VALIDATION_FAILED", /empty/);
    given(opened())
      .when(label(agent, "x".repeat(LABEL_LIMITS.maxLength + 1)))
      .thenRefuses("VALIDATION_FAILED", /maximum/);
    for (const bad of ["<b>", "a--b", "-refund", "refund!", "a/b", "x\u0000"]) {
      given(opened())
        .when(label(agent, bad))
        .thenRefuses("VALIDATION_FAILED", /letters and digits/);
    }
  });

  it("refuses a label past the most a room may carry, but not one it already has", () => {
    const many = Array.from({ length: LABEL_LIMITS.maxPerRoom }, (_, i) => labelAdded(`l${i}`));
    given(opened(), ...many)
      .when(label(agent, "one-more"))
      .thenRefuses("VALIDATION_FAILED", /remove one/);
    given(opened(), ...many)
      .when(label(agent, "l3"))
      .then([]);
  });

  it("refuses an unknown room", () => {
    given().when(label(agent, "refund")).thenRefuses("NOT_FOUND");
    given().when(unlabel(agent, "refund")).thenRefuses("NOT_FOUND");
  });
});
