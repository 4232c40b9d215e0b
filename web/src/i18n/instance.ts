import { createI18n } from "vue-i18n";
import { datetimeFormatsFor, numberFormatsFor } from "./formats.js";
import { DEFAULT_LOCALE, LOCALES, type Locale } from "./locales.js";

/**
 * The one vue-i18n instance of a page (Composition API). It starts without messages: the widget
 * bundle adds only the widget's catalogs, the app adds its own too. Messages are precompiled at
 * build time, so the runtime-only build of vue-i18n is enough.
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

export type Catalog = Record<string, unknown>;
export type CatalogLoader = (locale: Locale) => Promise<Catalog | null>;

const loaders: CatalogLoader[] = [];
const loaded = new Set<string>();

export const addCatalogs = (catalogs: Partial<Record<Locale, Catalog>>): void => {
  for (const [locale, messages] of Object.entries(catalogs)) {
    if (messages) i18n.global.mergeLocaleMessage(locale, messages);
  }
};

/** A catalog fetched when its language is first shown (the embeddable widget's other languages). */
export const addCatalogLoader = (loader: CatalogLoader): void => {
  loaders.push(loader);
};

/** Fetches what the loaders have for `locale`, once; null when there is nothing to wait for. */
export const loadCatalogs = (locale: Locale): Promise<void> | null => {
  if (loaded.has(locale) || loaders.length === 0) return null;
  loaded.add(locale);
  return Promise.all(
    loaders.map(async (loader) => {
      // A catalog that cannot be fetched leaves English showing; nothing else breaks.
      const messages = await loader(locale).catch(() => null);
      if (messages) i18n.global.mergeLocaleMessage(locale, messages);
    }),
  ).then(() => undefined);
};
