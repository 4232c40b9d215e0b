import { afterEach, describe, expect, it } from "vitest";
import { computed } from "vue";
import { DATETIME_FORMATS, NUMBER_FORMATS } from "../src/i18n/formats.js";
import { vueI18nTranslator } from "../src/i18n/instance.js";
import { LOCALES, type Locale } from "../src/i18n/locales.js";
import { createPlainTranslator } from "../src/i18n/plain-translator.js";
import type { Catalog, Named, Translator } from "../src/i18n/translator.js";

/**
 * The embeddable widget renders its catalogs with its own small translator, the console with
 * vue-i18n. Every widget text must come out the same from both, in every language, with the
 * values and counts the widget passes, so the two can never drift apart.
 */

// The files as written: what the embed bundle imports (the tests' vue-i18n gets them compiled).
const sources = import.meta.glob<string>("../src/i18n/widget/*.json", {
  query: "?raw",
  import: "default",
  eager: true,
});

const widgetCatalog = (locale: Locale): Catalog => {
  const source = sources[`../src/i18n/widget/${locale}.json`];
  if (source === undefined) throw new Error(`no widget catalog for ${locale}`);
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

const placeholders = (text: string): string[] => [
  ...new Set([...text.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => m[1]!)),
];

const plainWith = (catalogs: Partial<Record<Locale, Catalog>>): Translator => {
  const translator = createPlainTranslator();
  for (const locale of LOCALES) {
    const catalog = catalogs[locale];
    if (catalog) translator.addCatalog(locale, catalog);
  }
  return translator;
};

const plain = plainWith(Object.fromEntries(LOCALES.map((l) => [l, widgetCatalog(l)])));
const vueI18n = vueI18nTranslator;
const english = leaves(widgetCatalog("en"));
const COUNTS = [0, 1, 2, 5];

const showBoth = (locale: Locale) => {
  plain.locale.value = locale;
  vueI18n.locale.value = locale;
};

afterEach(() => showBoth("en"));

describe.each(LOCALES)("every widget text in %s", (locale) => {
  const cases = (render: (translator: Translator, key: string, names: string[]) => string) => {
    showBoth(locale);
    const differences: string[] = [];
    for (const [key, source] of english) {
      const names = placeholders(source);
      const expected = render(vueI18n, key, names);
      const actual = render(plain, key, names);
      if (actual !== expected) differences.push(`${key}: ${JSON.stringify(actual)} ≠ ${expected}`);
    }
    return differences;
  };

  it("reads exactly as vue-i18n renders it, with its values filled in", () => {
    const named = (names: string[]): Named => Object.fromEntries(names.map((p) => [p, `<${p}>`]));
    expect(cases((tr, key, names) => tr.t(key, named(names)))).toEqual([]);
  });

  it("reads exactly as vue-i18n renders it without any values", () => {
    expect(cases((tr, key) => tr.t(key, {}))).toEqual([]);
  });

  it.each(COUNTS)("picks the same plural form for a count of %i", (count) => {
    const named = (names: string[]): Named =>
      Object.fromEntries(names.filter((p) => p !== "n").map((p) => [p, `<${p}>`]));
    // As tc() in text.ts calls it.
    expect(cases((tr, key, names) => tr.t(key, { n: count, ...named(names) }, count))).toEqual([]);
  });

  it.each(COUNTS)("treats numeric values alike (every value %i, no count)", (value) => {
    const named = (names: string[]): Named => Object.fromEntries(names.map((p) => [p, value]));
    expect(cases((tr, key, names) => tr.t(key, named(names)))).toEqual([]);
  });

  it("knows the same keys", () => {
    for (const key of [...english.keys(), "widget", "errors.HTTP_418", "nothing.here"]) {
      expect(plain.has(key, locale), key).toBe(vueI18n.has(key, locale));
    }
  });

  it("formats dates, times and numbers with the same named formats", () => {
    showBoth(locale);
    const at = new Date(Date.UTC(2025, 0, 31, 23, 5));
    for (const format of Object.keys(DATETIME_FORMATS) as (keyof typeof DATETIME_FORMATS)[]) {
      expect(plain.d(at, format), format).toBe(vueI18n.d(at, format));
      expect(plain.d(at, format, "Asia/Tokyo"), format).toBe(vueI18n.d(at, format, "Asia/Tokyo"));
    }
    for (const format of Object.keys(NUMBER_FORMATS) as (keyof typeof NUMBER_FORMATS)[]) {
      for (const value of [0, 1, 2.5, -1234.56, 1_000_000]) {
        expect(plain.n(value, format), `${format} ${value}`).toBe(vueI18n.n(value, format));
      }
    }
  });
});

describe("the widget's own translator", () => {
  it("shows English for a text a language lacks, and the key for one nobody has", () => {
    const translator = plainWith({ en: { a: { only: "English only" } }, de: { a: {} } });
    translator.locale.value = "de";
    expect(translator.t("a.only", {})).toBe("English only");
    expect(translator.t("a.none", {})).toBe("a.none");
    expect(translator.has("a.only", "de")).toBe(false);
    expect(translator.has("a.only", "en")).toBe(true);
  });

  it("picks among three forms and trims the spaces around the bars, as vue-i18n does", () => {
    const translator = plainWith({
      en: { none: "no {n} | one {n}  |\n{n} many ", two: "x {n} one  |  {n} many " },
    });
    expect(COUNTS.map((c) => translator.t("none", { n: c }, c))).toEqual([
      "no 0",
      "one 1",
      "2 many ",
      "5 many ",
    ]);
    expect(COUNTS.map((c) => translator.t("two", {}, c))).toEqual([
      "0 many ",
      "x 1 one",
      "2 many ",
      "5 many ",
    ]);
    // Without a count: the first of two forms, the middle one of three.
    expect(translator.t("two", {})).toBe("x  one");
    expect(translator.t("none", {})).toBe("one ");
  });

  it("writes literals as they are, also a bar inside one", () => {
    const translator = plainWith({ en: { mail: "help{'@'}shop.example {'|'} { who }" } });
    expect(translator.t("mail", { who: "us" })).toBe("help@shop.example | us");
  });

  it("merges catalogs added later into what a language has", () => {
    const translator = plainWith({ en: { a: { one: "1" } } });
    translator.addCatalog("en", { a: { two: "2" }, b: "3" });
    expect(["a.one", "a.two", "b"].map((key) => translator.t(key, {}))).toEqual(["1", "2", "3"]);
  });

  it("re-renders what shows a text when the language changes", () => {
    const translator = plainWith({ en: { hi: "Hello" }, de: { hi: "Hallo" } });
    const shown = computed(() => translator.t("hi", {}));
    expect(shown.value).toBe("Hello");
    translator.locale.value = "de";
    expect(shown.value).toBe("Hallo");
  });
});
