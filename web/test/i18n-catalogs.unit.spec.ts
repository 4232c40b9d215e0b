import { afterEach, describe, expect, it } from "vitest";
import { i18n } from "../src/i18n/instance.js";
import { LOCALES } from "../src/i18n/locales.js";

/**
 * The English catalogs are the schema: every other language has exactly their keys, with the
 * same placeholders and the same number of plural forms, and every text renders.
 */
type Catalog = { [key: string]: string | Catalog };

const CATALOGS = ["widget", "app"] as const;

// The files as written (the app imports them compiled to message functions).
const sources = import.meta.glob<string>("../src/i18n/*/*.json", {
  query: "?raw",
  import: "default",
  eager: true,
});

const read = (group: string, locale: string): Catalog => {
  const source = sources[`../src/i18n/${group}/${locale}.json`];
  if (source === undefined) throw new Error(`no ${group} catalog for ${locale}`);
  return JSON.parse(source) as Catalog;
};

const leaves = (catalog: Catalog, prefix = ""): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
};

const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => m[1]!))].sort();

const pluralForms = (text: string): number => text.split("|").length;

afterEach(() => {
  i18n.global.locale.value = "en";
});

describe.each(CATALOGS)("the %s catalogs", (group) => {
  const english = leaves(read(group, "en"));
  const others = LOCALES.filter((locale) => locale !== "en");

  it.each(others)("%s has exactly the English keys", (locale) => {
    const keys = [...leaves(read(group, locale)).keys()];
    expect(keys.filter((k) => !english.has(k))).toEqual([]);
    expect([...english.keys()].filter((k) => !keys.includes(k))).toEqual([]);
  });

  it.each(others)("%s uses the same placeholders and plural forms", (locale) => {
    const texts = leaves(read(group, locale));
    for (const [key, source] of english) {
      const text = texts.get(key) ?? "";
      expect(text.trim(), `${locale} ${key} is empty`).not.toBe("");
      expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(source));
      expect(pluralForms(text), `${locale} ${key}`).toBe(pluralForms(source));
    }
  });

  it.each(LOCALES)("%s renders every text with its values filled in", (locale) => {
    i18n.global.locale.value = locale;
    for (const [key, source] of english) {
      const named = Object.fromEntries(placeholders(source).map((p) => [p, `<${p}>`]));
      const text = i18n.global.t(key, { ...named }, 2);
      expect(text, `${locale} ${key}`).not.toBe(key);
      expect(text, `${locale} ${key}`).not.toMatch(/[{}]/);
      for (const value of Object.values(named)) {
        if (value !== "<n>") expect(text, `${locale} ${key}`).toContain(value);
      }
    }
  });
});

describe("the two catalogs", () => {
  it("do not share a top-level name, so merging one never hides the other's texts", () => {
    const widget = Object.keys(read("widget", "en"));
    expect(Object.keys(read("app", "en")).filter((k) => widget.includes(k))).toEqual([]);
  });
});
