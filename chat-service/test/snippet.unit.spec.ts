import { describe, expect, it } from "vitest";
import { snippetOf } from "../src/domain/snippet.js";

const O = "\u0002";
const C = "\u0003";

describe("search snippets", () => {
  it("turns marked matches into plain text and offsets", () => {
    const { snippet, highlights } = snippetOf(`my ${O}order${C} of ${O}FullMag${C} shoes`, O, C);
    expect(snippet).toBe("my order of FullMag shoes");
    expect(highlights.map((h) => snippet.slice(h.start, h.end))).toEqual(["order", "FullMag"]);
  });

  it("keeps markup in the text as text", () => {
    const { snippet, highlights } = snippetOf(`<img src=x onerror=alert(1)> ${O}refund${C}`, O, C);
    expect(snippet).toBe("<img src=x onerror=alert(1)> refund");
    expect(highlights).toEqual([{ start: 29, end: 35 }]);
  });

  it("counts offsets in UTF-16 units, like the browser", () => {
    const { snippet, highlights } = snippetOf(`😀 ${O}größe${C}`, O, C);
    expect(snippet.slice(highlights[0]!.start, highlights[0]!.end)).toBe("größe");
  });

  it("survives stray or unclosed marks without losing text", () => {
    expect(snippetOf(`a${C}b ${O}c`, O, C)).toEqual({
      snippet: "ab c",
      highlights: [{ start: 3, end: 4 }],
    });
    expect(snippetOf(`${O}${C}plain`, O, C)).toEqual({ snippet: "plain", highlights: [] });
  });
});
