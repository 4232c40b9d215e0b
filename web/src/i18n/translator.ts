import { shallowRef, type Ref } from "vue";
import type { DateTimeFormatName, NumberFormatName } from "./formats.js";
import type { Locale } from "./locales.js";

/** A catalog as written: nested objects whose leaves are message texts. */
export type Catalog = { [key: string]: string | Catalog };
export type Named = Record<string, string | number>;

/**
 * What renders the catalogs' texts. The console uses vue-i18n (`instance.ts`); the embeddable
 * widget a small translator of its own (`plain-translator.ts`) that reads the same catalogs and
 * keeps its bundle within budget. `text.ts` and `language.ts` only talk to this.
 */
export interface Translator {
  /** The shown language; reading it in a render or a computed makes that follow a switch. */
  readonly locale: Ref<string>;
  addCatalog(locale: Locale, catalog: Catalog): void;
  /** A key's text; `plural` picks among "a | b" forms the way vue-i18n does. */
  t(key: string, named: Named, plural?: number): string;
  /** Whether `locale`'s catalog has a text (not a group) under `key`. */
  has(key: string, locale: Locale): boolean;
  d(date: Date, format: DateTimeFormatName, timeZone?: string): string;
  n(value: number, format: NumberFormatName): string;
}

// A ref, so whatever read the locale before a translator was installed still follows it.
const installed = shallowRef<Translator | null>(null);

/** Each entry point installs its translator before it adds catalogs or renders anything. */
export const installTranslator = (translator: Translator): void => {
  installed.value = translator;
};

export const translator = (): Translator => {
  const current = installed.value;
  if (!current) throw new Error("no translator installed: call installTranslator() at start");
  return current;
};

export type CatalogLoader = (locale: Locale) => Promise<Catalog | null>;

const loaders: CatalogLoader[] = [];
const loaded = new Set<string>();

export const addCatalogs = (catalogs: Partial<Record<Locale, Catalog>>): void => {
  for (const [locale, catalog] of Object.entries(catalogs) as [Locale, Catalog | undefined][]) {
    if (catalog) translator().addCatalog(locale, catalog);
  }
};

/** A catalog fetched when its language is first shown. */
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
      const catalog = await loader(locale).catch(() => null);
      if (catalog) translator().addCatalog(locale, catalog);
    }),
  ).then(() => undefined);
};
