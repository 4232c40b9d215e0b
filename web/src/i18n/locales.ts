/**
 * The languages the widget and the console speak, and how one is chosen: the person's own
 * choice (kept in this browser) first, then the page's language when the storefront says it,
 * then the first of the browser's languages we have (`de-AT` counts as `de`), then English.
 */
export const LOCALES = ["en", "de", "es"] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = "en";

/** Each language under its own name, so people find theirs whatever language is shown. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  de: "Deutsch",
  es: "Español",
};

const isLocale = (tag: string): tag is Locale => (LOCALES as readonly string[]).includes(tag);

/** The supported language a BCP 47 tag asks for ("de-AT" → "de"), or null. */
export const supportedLocale = (tag: string | null | undefined): Locale | null => {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return isLocale(primary) ? primary : null;
};

export interface LocaleSources {
  /** What the person picked in a language switcher earlier, as stored. */
  saved: string | null;
  /** The language the host page asks for (the embed's `locale` option), if any. */
  requested?: string | null;
  /** `navigator.languages`, most preferred first. */
  browser: readonly string[];
}

export const chooseLocale = ({ saved, requested, browser }: LocaleSources): Locale => {
  for (const tag of [saved, requested, ...browser]) {
    const locale = supportedLocale(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
};
