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
  closed,
  customer,
  MESSAGE,
  opened,
  otherCustomer,
  posted,
  ROOM,
  router,
} from "./fixtures.js";

const rules = { messageMaxLength: 20 };
const NOW = new Date("2026-01-02T03:04:05.000Z");
const PHOTO = "a0000000-0000-4000-8000-000000000001";
const INVOICE = "a0000000-0000-4000-8000-000000000002";
const SHA = "ab".repeat(32);

const upload = (actor: Actor, attachmentId = PHOTO, name = "photo.png"): RoomCommand => ({
  type: "RecordAttachment",
  data: { roomId: ROOM, attachmentId, name, contentType: "image/png", size: 1234, sha256: SHA },
  metadata: { actor, now: NOW },
});

const uploaded = (by: Actor, attachmentId = PHOTO, name = "photo.png"): RoomEventBody => ({
  type: "AttachmentUploaded",
  data: {
    roomId: ROOM,
    attachmentId,
    name,
    contentType: "image/png",
    size: 1234,
    sha256: SHA,
    uploaderId: by.id,
    uploaderName: by.name,
    uploaderRole: by.role === "system" ? "admin" : by.role,
  },
});

const post = (actor: Actor, text: string, attachmentIds?: string[]): RoomCommand => ({
  type: "PostMessage",
  data: { roomId: ROOM, messageId: MESSAGE, clientMessageId: "cm-1", text, attachmentIds },
  metadata: { actor, now: NOW },
});

const given = (...history: RoomEventBody[]) => ({
  when: (cmd: RoomCommand) => {
    const run = () => decide(cmd, evolveAll(initialState(), history, NOW), rules);
    return {
      then: (expected: RoomEventBody[]) => expect(run()).toEqual(expected),
      thenRefuses: (code: ErrorCode) => {
        expect(run).toThrow(DomainError);
        try {
          run();
        } catch (e) {
          expect((e as DomainError).code).toBe(code);
        }
      },
    };
  },
});

describe("RecordAttachment", () => {
  it("records the customer's own upload in their room", () => {
    given(opened())
      .when(upload(customer))
      .then([uploaded(customer)]);
  });

  it("records an upload by any support role, like posting", () => {
    given(opened())
      .when(upload(agent))
      .then([uploaded(agent)]);
    given(opened())
      .when(upload(admin))
      .then([uploaded(admin)]);
  });

  it("refuses a customer of another room, services and unknown rooms", () => {
    given(opened()).when(upload(otherCustomer)).thenRefuses("FORBIDDEN");
    given(opened()).when(upload(router)).thenRefuses("FORBIDDEN");
    given().when(upload(customer)).thenRefuses("NOT_FOUND");
  });

  it("refuses a closed room", () => {
    given(opened(), closed()).when(upload(customer)).thenRefuses("ROOM_CLOSED");
  });

  it("records the same attachment once when the request is retried", () => {
    given(opened(), uploaded(customer)).when(upload(customer)).then([]);
  });
});

describe("PostMessage with attachments", () => {
  const descriptor = { id: PHOTO, name: "photo.png", contentType: "image/png", size: 1234 };

  it("carries the descriptors of the room's attachments; the text may be empty", () => {
    const [event] = decide(
      post(agent, "   ", [PHOTO]),
      evolveAll(initialState(), [opened(), posted(1), uploaded(agent)], NOW),
      rules,
    );
    expect(event).toMatchObject({
      type: "MessagePosted",
      data: { seq: 2, message: "", attachments: [descriptor] },
    });
  });

  it("may refer to an attachment another participant uploaded, in the order given", () => {
    const [event] = decide(
      post(customer, "both", [INVOICE, PHOTO]),
      evolveAll(
        initialState(),
        [opened(), uploaded(agent), uploaded(customer, INVOICE, "invoice.png")],
        NOW,
      ),
      rules,
    );
    expect(event?.type === "MessagePosted" && event.data.attachments?.map((a) => a.id)).toEqual([
      INVOICE,
      PHOTO,
    ]);
  });

  it("records no attachments field for a message without attachments", () => {
    const [event] = decide(post(customer, "hi"), evolveAll(initialState(), [opened()], NOW), rules);
    expect(event?.data).not.toHaveProperty("attachments");
  });

  it("refuses an attachment that is not in this room (unknown or another room's)", () => {
    given(opened())
      .when(post(customer, "look", [PHOTO]))
      .thenRefuses("VALIDATION_FAILED");
  });

  it("refuses an attachment listed twice", () => {
    given(opened(), uploaded(customer))
      .when(post(customer, "look", [PHOTO, PHOTO]))
      .thenRefuses("VALIDATION_FAILED");
  });

  it("still refuses empty text without attachments", () => {
    given(opened())
      .when(post(customer, "  ", []))
      .thenRefuses("MESSAGE_EMPTY");
  });
});
