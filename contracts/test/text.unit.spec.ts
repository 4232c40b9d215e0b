import { describe, expect, it } from "vitest";
import { normalizeMessageText } from "@support-chat/contracts";

describe("normalizeMessageText", () => {
  it("trims surrounding white space and keeps the inside as written", () => {
    expect(normalizeMessageText("  hello <b>there</b>\n", 100)).toBe("hello <b>there</b>");
  });

  it("refuses text that is empty after trimming", () => {
    expect(() => normalizeMessageText(" \n\t ", 100)).toThrow(
      expect.objectContaining({ code: "MESSAGE_EMPTY" }),
    );
  });

  it.each(["nul \u0000 inside", "lone \ud800 surrogate", "\udc00"])(
    "refuses text that cannot be stored as it was sent: %j",
    (text) => {
      expect(() => normalizeMessageText(text, 100)).toThrow(
        expect.objectContaining({ code: "VALIDATION_FAILED" }),
      );
    },
  );

  it("keeps emoji and other paired surrogates", () => {
    expect(normalizeMessageText("ok 👍🏽 𝄞", 100)).toBe("ok 👍🏽 𝄞");
  });

  it("counts characters, not UTF-16 units, against the maximum", () => {
    expect(normalizeMessageText("😀".repeat(5), 5)).toBe("😀".repeat(5));
    expect(() => normalizeMessageText("😀".repeat(6), 5)).toThrow(/6 characters; the maximum is 5/);
  });
});
