import { describe, expect, it } from "vitest";
import { LIMITS } from "@support-chat/contracts";
import { checkMessageText, MESSAGE_MAX_LENGTH } from "../src/domain/limits.js";

describe("message limits", () => {
  it("match the contracts", () => {
    expect(MESSAGE_MAX_LENGTH).toBe(LIMITS.messageMaxLength);
  });

  it("count an emoji once, like the server", () => {
    expect(checkMessageText("👍".repeat(MESSAGE_MAX_LENGTH))).toEqual({
      text: "👍".repeat(MESSAGE_MAX_LENGTH),
    });
    expect(checkMessageText(`  hi  `)).toEqual({ text: "hi" });
  });
});
