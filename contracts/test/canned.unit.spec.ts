import { describe, expect, it } from "vitest";
import {
  CANNED_LIMITS,
  CannedFields,
  DeleteCannedResponseQuery,
  DomainError,
  EditCannedResponseBody,
  isCannedEventType,
  normalizeCannedFields,
  subjectsFor,
} from "../src/index.js";

describe("canned response fields", () => {
  it("normalise a shortcut to one spelling: no leading /, trimmed, lower case", () => {
    expect(
      CannedFields.parse({ title: " Hi ", shortcut: " /Hello_World-2 ", text: " Hey " }),
    ).toEqual({ title: "Hi", shortcut: "hello_world-2", text: "Hey" });
  });

  it.each(["", "/", "a b", "ä", "a/b", "x".repeat(CANNED_LIMITS.shortcutMax + 1), "//a"])(
    "refuse the shortcut %j instead of mangling it",
    (shortcut) => {
      expect(CannedFields.safeParse({ title: "t", shortcut, text: "x" }).success).toBe(false);
    },
  );

  it("count the text in code points and refuse what Postgres cannot store", () => {
    const ok = "🙂".repeat(CANNED_LIMITS.textMax);
    expect(CannedFields.parse({ title: "t", shortcut: "s", text: ok }).text).toBe(ok);
    expect(CannedFields.safeParse({ title: "t", shortcut: "s", text: `${ok}🙂` }).success).toBe(
      false,
    );
    expect(CannedFields.safeParse({ title: "t", shortcut: "s", text: "a\u0000" }).success).toBe(
      false,
    );
    expect(CannedFields.safeParse({ title: "t\ud800", shortcut: "s", text: "x" }).success).toBe(
      false,
    );
  });

  it("are refused as one clear VALIDATION_FAILED naming every problem", () => {
    let error: unknown;
    try {
      normalizeCannedFields({ title: " ", shortcut: "a b", text: "" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("VALIDATION_FAILED");
    expect((error as DomainError).message).toMatch(/title is empty.*only letters.*text is empty/);
  });
});

describe("canned response requests", () => {
  it("an edit names its version and changes at least one field", () => {
    expect(EditCannedResponseBody.safeParse({ version: 2, text: "x" }).success).toBe(true);
    expect(EditCannedResponseBody.safeParse({ version: 2 }).success).toBe(false);
    expect(EditCannedResponseBody.safeParse({ text: "x" }).success).toBe(false);
    expect(EditCannedResponseBody.safeParse({ version: 0, text: "x" }).success).toBe(false);
  });

  it("a delete may name its version in the query", () => {
    expect(DeleteCannedResponseQuery.parse({ version: "3" })).toEqual({ version: 3 });
    expect(DeleteCannedResponseQuery.parse({})).toEqual({});
    expect(DeleteCannedResponseQuery.safeParse({ version: "first" }).success).toBe(false);
  });

  it("travel on the chat service's subjects, their events beside the rooms'", () => {
    const s = subjectsFor("chat");
    expect(s.cannedCommand("createCannedResponse")).toBe("chat.cmd.createCannedResponse");
    expect(s.cannedQuery("listCannedResponses")).toBe("chat.query.listCannedResponses");
    expect(s.event("CannedResponseDeleted")).toBe("chat.events.CannedResponseDeleted");
    expect(isCannedEventType("CannedResponseEdited")).toBe(true);
    expect(isCannedEventType("MessagePosted")).toBe(false);
  });
});
