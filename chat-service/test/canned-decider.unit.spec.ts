import {
  CANNED_LIMITS,
  DomainError,
  type Actor,
  type CannedEventBody,
  type ErrorCode,
} from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import {
  decideCanned,
  evolveCanned,
  initialCannedState,
  type CannedCommand,
  type Catalog,
} from "../src/domain/canned.js";
import { admin, agent, customer, manager, router } from "./fixtures.js";

const ID = "5a0c7d3e-1b2f-4c3d-8e4f-5a6b7c8d9e0f";
const OTHER = "7e6d5c4b-3a2f-4e1d-9c0b-a1b2c3d4e5f6";

const created = (fields: { title?: string; shortcut?: string; text?: string } = {}) =>
  ({
    type: "CannedResponseCreated",
    data: {
      cannedResponseId: ID,
      title: fields.title ?? "Refund policy",
      shortcut: fields.shortcut ?? "refund",
      text: fields.text ?? "Refunds take 5 working days.",
    },
  }) satisfies CannedEventBody;
const edited = (fields: { title: string; shortcut: string; text: string }) =>
  ({
    type: "CannedResponseEdited",
    data: { cannedResponseId: ID, ...fields },
  }) satisfies CannedEventBody;
const deleted = () =>
  ({
    type: "CannedResponseDeleted",
    data: { cannedResponseId: ID, shortcut: "refund" },
  }) satisfies CannedEventBody;

const create = (
  actor: Actor,
  fields = { title: "Refund policy", shortcut: "refund", text: "Refunds take 5 working days." },
) =>
  ({
    type: "CreateCannedResponse",
    data: { id: ID, ...fields },
    metadata: { actor },
  }) satisfies CannedCommand;
const edit = (
  actor: Actor,
  expectedVersion: number,
  fields: { title?: string; shortcut?: string; text?: string },
) =>
  ({
    type: "EditCannedResponse",
    data: { id: ID, expectedVersion, ...fields },
    metadata: { actor },
  }) satisfies CannedCommand;
const remove = (actor: Actor, expectedVersion?: number) =>
  ({
    type: "DeleteCannedResponse",
    data: { id: ID, expectedVersion },
    metadata: { actor },
  }) satisfies CannedCommand;

const given = (history: CannedEventBody[], catalog: Catalog = []) => ({
  when: (command: CannedCommand) => {
    const run = () =>
      decideCanned(command, history.reduce(evolveCanned, initialCannedState()), catalog);
    return {
      then: (expected: CannedEventBody[]) => expect(run()).toEqual(expected),
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

const live = (id: string, shortcut: string, title = "Someone else's") => ({ id, shortcut, title });

describe("creating a canned response", () => {
  it.for([manager, admin])("a $role creates one, with its fields normalised", (actor) => {
    given([])
      .when(
        create(actor, {
          title: "  Refund policy ",
          shortcut: " /Refund_Policy ",
          text: " Refunds take 5 days. \n",
        }),
      )
      .then([
        {
          type: "CannedResponseCreated",
          data: {
            cannedResponseId: ID,
            title: "Refund policy",
            shortcut: "refund_policy",
            text: "Refunds take 5 days.",
          },
        },
      ]);
  });

  it.for([agent, customer, router])("a $role is refused", (actor) => {
    given([])
      .when(create(actor))
      .thenRefuses("FORBIDDEN", /managers and admins/);
  });

  it("is refused when a live response already has the shortcut", () => {
    given([], [live(OTHER, "refund", "Old refund text")])
      .when(create(manager))
      .thenRefuses("CONFLICT", /\/refund is already used by "Old refund text"/);
  });

  it("takes a shortcut whose response was deleted (it is not in the live catalog)", () => {
    given([], [live(OTHER, "shipping")])
      .when(create(manager))
      .then([created()]);
  });

  it.each([
    ["an empty title", { title: "   " }, /title is empty/],
    ["a shortcut with a space", { shortcut: "re fund" }, /only letters a-z/],
    ["a shortcut with letters outside a-z", { shortcut: "rückgabe" }, /only letters a-z/],
    ["an empty shortcut", { shortcut: "/" }, /shortcut is empty/],
    ["a long shortcut", { shortcut: "x".repeat(CANNED_LIMITS.shortcutMax + 1) }, /longer than 32/],
    ["an empty text", { text: " \n " }, /text is empty/],
    ["a text over the limit", { text: "é".repeat(CANNED_LIMITS.textMax + 1) }, /longer than 2000/],
    ["a text with a NUL", { text: "a\u0000b" }, /NUL/],
    ["a title with an unpaired surrogate", { title: "x\ud800" }, /unpaired surrogate/],
  ])("refuses %s", (_what, change, message) => {
    const fields = { title: "Refund policy", shortcut: "refund", text: "Refunds.", ...change };
    given([]).when(create(manager, fields)).thenRefuses("VALIDATION_FAILED", message);
  });

  it("counts the text in characters, so a text of exactly the limit in emoji is taken", () => {
    const text = "🙂".repeat(CANNED_LIMITS.textMax);
    given([])
      .when(create(manager, { title: "Smile", shortcut: "smile", text }))
      .then([
        {
          type: "CannedResponseCreated",
          data: { cannedResponseId: ID, title: "Smile", shortcut: "smile", text },
        },
      ]);
  });

  it("is refused once the catalog is full", () => {
    const full = Array.from({ length: CANNED_LIMITS.catalogMax }, (_, i) =>
      live(`id-${i}`, `s${i}`),
    );
    given([], full)
      .when(create(manager))
      .thenRefuses("CONFLICT", /delete some first/);
  });
});

describe("editing a canned response", () => {
  it("changes only the fields given and records the whole response", () => {
    given([created()], [live(ID, "refund")])
      .when(edit(manager, 1, { text: "Refunds take 3 working days." }))
      .then([
        edited({
          title: "Refund policy",
          shortcut: "refund",
          text: "Refunds take 3 working days.",
        }),
      ]);
  });

  it("may move to a free shortcut, and keep its own", () => {
    given([created()], [live(ID, "refund"), live(OTHER, "shipping")])
      .when(edit(admin, 1, { shortcut: "REFUNDS" }))
      .then([
        edited({
          title: "Refund policy",
          shortcut: "refunds",
          text: "Refunds take 5 working days.",
        }),
      ]);
  });

  it("is refused when the new shortcut belongs to another live response", () => {
    given([created()], [live(ID, "refund"), live(OTHER, "shipping", "Shipping times")])
      .when(edit(manager, 1, { shortcut: "shipping" }))
      .thenRefuses("CONFLICT", /already used by "Shipping times"/);
  });

  it("records nothing when nothing changes", () => {
    given([created()], [live(ID, "refund")])
      .when(edit(manager, 1, { title: " Refund policy ", shortcut: "/refund" }))
      .then([]);
  });

  it("is refused when made on an older version (someone saved meanwhile)", () => {
    const second = { title: "Refunds", shortcut: "refund", text: "New text" };
    given([created(), edited(second)], [live(ID, "refund")])
      .when(edit(manager, 1, { text: "My text" }))
      .thenRefuses("CONFLICT", /at version 2, not 1/);
  });

  it("is refused for an agent, even on a version that would fit", () => {
    given([created()], [live(ID, "refund")])
      .when(edit(agent, 1, { text: "Mine now" }))
      .thenRefuses("FORBIDDEN");
  });

  it("is refused for an unknown or deleted response", () => {
    given([])
      .when(edit(manager, 1, { text: "x" }))
      .thenRefuses("NOT_FOUND");
    given([created(), deleted()])
      .when(edit(manager, 2, { text: "x" }))
      .thenRefuses("NOT_FOUND");
  });

  it("refuses invalid fields", () => {
    given([created()], [live(ID, "refund")])
      .when(edit(manager, 1, { title: "" }))
      .thenRefuses("VALIDATION_FAILED", /title is empty/);
  });
});

describe("deleting a canned response", () => {
  it("records the deletion, with or without the version", () => {
    given([created()]).when(remove(manager)).then([deleted()]);
    given([created()]).when(remove(admin, 1)).then([deleted()]);
  });

  it("is refused on an older version", () => {
    given([created(), edited({ title: "a", shortcut: "refund", text: "b" })])
      .when(remove(manager, 1))
      .thenRefuses("CONFLICT");
  });

  it("is refused for agents and customers, and for what does not exist", () => {
    given([created()]).when(remove(agent)).thenRefuses("FORBIDDEN");
    given([created()]).when(remove(customer)).thenRefuses("FORBIDDEN");
    given([]).when(remove(manager)).thenRefuses("NOT_FOUND");
    given([created(), deleted()]).when(remove(manager)).thenRefuses("NOT_FOUND");
  });
});

describe("evolving a canned response", () => {
  it("counts one version per event and remembers the last fields", () => {
    const state = [created(), edited({ title: "T", shortcut: "t", text: "x" }), deleted()].reduce(
      evolveCanned,
      initialCannedState(),
    );
    expect(state).toEqual({
      status: "deleted",
      id: ID,
      title: "T",
      shortcut: "t",
      text: "x",
      version: 3,
    });
  });
});
