import { ref, shallowReactive } from "vue";
import {
  DATETIME_FORMATS,
  NUMBER_FORMATS,
  type DateTimeFormatName,
  type NumberFormatName,
} from "./formats.js";
import { DEFAULT_LOCALE, type Locale } from "./locales.js";
import type { Catalog, Named, Translator } from "./translator.js";

/**
 * The embeddable widget's translator. vue-i18n with the catalogs compiled to message ASTs cost
 * the widget about 10 KiB gzipped more than this does. The widget's texts only use `{name}`
 * placeholders, `{'…'}` literals and "a | b" plural forms, so this reads the catalogs as plain
 * JSON and does those itself, the way vue-i18n does (`test/i18n-plain-translator.unit.spec.ts` renders every
 * widget text both ways and fails on any difference).
 */

// `{name}` or a literal `{'@'}`, with optional spaces inside the braces.
const PLACEHOLDER = /\{\s*(?:'([^']*)'|([A-Za-z_$][\w$]*))\s*\}/g;
// The "|" between plural forms (not one inside a literal), and the spaces and newlines around it.
const PLURAL_SEPARATOR = /[ \n]*\|[ \n]*(?![^{]*\})/;

const lookup = (catalog: Catalog | undefined, key: string): string | undefined => {
  let node: Catalog | string | undefined = catalog;
  for (const part of key.split(".")) {
    node = typeof node === "object" ? node[part] : undefined;
  }
  return typeof node === "string" ? node : undefined;
};

const merged = (into: Catalog | undefined, from: Catalog): Catalog => {
  const out: Catalog = { ...into };
  for (const [key, value] of Object.entries(from)) {
    const existing = out[key];
    out[key] =
      typeof value === "object" && typeof existing === "object" ? merged(existing, value) : value;
  }
  return out;
};

/** vue-i18n's default rule: "one | many" (0 counts as many), "none | one | many". */
const pluralForm = (choice: number, forms: number): number => {
  const count = Math.abs(choice);
  if (forms === 2) return count === 1 ? 0 : 1;
  return Math.min(count, 2);
};

const render = (message: string, named: Named, plural: number | undefined): string => {
  const values: Named = { ...named };
  // As vue-i18n: a numeric `count` or `n` value picks the form before the plural argument does.
  const choice =
    typeof values.count === "number"
      ? values.count
      : typeof values.n === "number"
        ? values.n
        : (plural ?? -1);
  if (plural !== undefined) {
    values.count ||= plural;
    values.n ||= plural;
  }
  const forms = message.split(PLURAL_SEPARATOR);
  const form = forms.length === 1 ? message : (forms[pluralForm(choice, forms.length)] ?? "");
  return form.replace(PLACEHOLDER, (_match, literal: string | undefined, name: string) => {
    if (literal !== undefined) return literal;
    const value = values[name];
    return value === undefined ? "" : String(value);
  });
};

export const createPlainTranslator = (): Translator => {
  const locale = ref<string>(DEFAULT_LOCALE);
  const catalogs = shallowReactive<Partial<Record<string, Catalog>>>({});
  const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

  const cached = <F extends Intl.DateTimeFormat | Intl.NumberFormat>(
    id: string,
    make: () => F,
  ): F => {
    let formatter = formatters.get(id) as F | undefined;
    if (!formatter) formatters.set(id, (formatter = make()));
    return formatter;
  };

  return {
    locale,
    addCatalog: (target: Locale, catalog: Catalog) => {
      catalogs[target] = merged(catalogs[target], catalog);
    },
    t: (key, named, plural) => {
      const message = lookup(catalogs[locale.value], key) ?? lookup(catalogs[DEFAULT_LOCALE], key);
      return message === undefined ? key : render(message, named, plural);
    },
    has: (key, target) => lookup(catalogs[target], key) !== undefined,
    d: (date, format: DateTimeFormatName, timeZone) => {
      const shown = locale.value;
      const options = { ...DATETIME_FORMATS[format], timeZone };
      return cached(
        `d ${shown} ${format} ${timeZone ?? ""}`,
        () => new Intl.DateTimeFormat(shown, options),
      ).format(date);
    },
    n: (value, format: NumberFormatName) => {
      const shown = locale.value;
      return cached(
        `n ${shown} ${format}`,
        () => new Intl.NumberFormat(shown, NUMBER_FORMATS[format]),
      ).format(value);
    },
  };
};
