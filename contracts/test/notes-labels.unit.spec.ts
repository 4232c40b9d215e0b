import { describe, expect, it } from "vitest";
import {
  DomainError,
  LABEL_LIMITS,
  NOTE_LIMITS,
  normalizeLabel,
  normalizeNoteText,
  RoomLabel,
  SearchQuery,
} from "../src/index.js";

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a refusal");
};

describe("labels", () => {
  it("are trimmed, lower-cased, and spaces become one hyphen", () => {
    expect(normalizeLabel("  Late   Delivery ")).toBe("late-delivery");
    expect(normalizeLabel("VIP")).toBe("vip");
    expect(normalizeLabel("Größe_XL")).toBe("größe_xl");
    expect(normalizeLabel("доставка")).toBe("доставка");
  });

  it("refuse what is empty, too long or not letters and digits", () => {
    expect(refusal(() => normalizeLabel("  "))).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(refusal(() => normalizeLabel("x".repeat(LABEL_LIMITS.maxLength + 1))).message).toMatch(
      /maximum is 32/,
    );
    for (const bad of ["<b>", "a--b", "-a", "a-", "a.b", "100%", "a\u0000"]) {
      expect(refusal(() => normalizeLabel(bad)).code, bad).toBe("VALIDATION_FAILED");
    }
  });

  it("as sent on the wire are only normalised ones", () => {
    expect(RoomLabel.safeParse("late-delivery").success).toBe(true);
    expect(RoomLabel.safeParse("Late Delivery").success).toBe(false);
    expect(RoomLabel.safeParse("x".repeat(LABEL_LIMITS.maxLength + 1)).success).toBe(false);
    // Code points count, not UTF-16 units.
    expect(RoomLabel.safeParse("😀".repeat(LABEL_LIMITS.maxLength)).success).toBe(false);
    expect(RoomLabel.safeParse("ü".repeat(LABEL_LIMITS.maxLength)).success).toBe(true);
  });
});

describe("notes", () => {
  it("are trimmed and bounded like messages, with note wording", () => {
    expect(normalizeNoteText("  checked with finance \n")).toBe("checked with finance");
    expect(refusal(() => normalizeNoteText(" "))).toEqual({
      code: "MESSAGE_EMPTY",
      message: "the note is empty",
    });
    expect(refusal(() => normalizeNoteText("é".repeat(NOTE_LIMITS.maxLength + 1))).code).toBe(
      "MESSAGE_TOO_LONG",
    );
    expect(normalizeNoteText("😀".repeat(NOTE_LIMITS.maxLength))).toHaveLength(
      NOTE_LIMITS.maxLength * 2,
    );
  });
});

describe("search queries", () => {
  it("need some text and keep paging bounded", () => {
    expect(SearchQuery.safeParse({ q: "refund", limit: "20", offset: "40" }).success).toBe(true);
    expect(SearchQuery.safeParse({ q: "   " }).success).toBe(false);
    expect(SearchQuery.safeParse({}).success).toBe(false);
    expect(SearchQuery.safeParse({ q: "x", limit: "51" }).success).toBe(false);
    expect(SearchQuery.safeParse({ q: "x", offset: "1001" }).success).toBe(false);
    expect(SearchQuery.safeParse({ q: ["a", "b"] }).success).toBe(false);
  });
});
