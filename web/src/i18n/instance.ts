import { createI18n } from "vue-i18n";
import { datetimeFormatsFor, numberFormatsFor } from "./formats.js";
import { DEFAULT_LOCALE, LOCALES } from "./locales.js";
import type { Translator } from "./translator.js";

/**
 * The console's translator: the one vue-i18n instance of the app (Composition API). It starts
 * without messages; the app adds the widget's catalogs and its own. Messages are precompiled at
 * build time, so the runtime-only build of vue-i18n is enough. The embeddable widget does not
 * load this file (see `plain-translator.ts`).
 */
export const i18n = createI18n({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: {},
  datetimeFormats: datetimeFormatsFor(LOCALES),
  numberFormats: numberFormatsFor(LOCALES),
  // A key missing in one language falls back to English quietly; the catalog test catches it.
  missingWarn: false,
  fallbackWarn: false,
});

const { global } = i18n;

export const vueI18nTranslator: Translator = {
  locale: global.locale,
  addCatalog: (locale, catalog) => global.mergeLocaleMessage(locale, catalog),
  t: (key, named, plural) =>
    plural === undefined ? global.t(key, named) : global.t(key, named, plural),
  has: (key, locale) => global.te(key, locale),
  d: (date, format, timeZone) =>
    timeZone ? global.d(date, { key: format, timeZone }) : global.d(date, format),
  n: (value, format) => global.n(value, format),
};
