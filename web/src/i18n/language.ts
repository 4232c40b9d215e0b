import { computed } from "vue";
import { readStored, writeStored } from "../services/storage.js";
import { chooseLocale, DEFAULT_LOCALE, supportedLocale, type Locale } from "./locales.js";
import { loadCatalogs, translator } from "./translator.js";

/** Where the person's own choice is kept (per browser, shared by the widget and the console). */
const STORAGE_KEY = "language";

/** The language shown now. */
export const currentLocale = computed<Locale>(
  () => supportedLocale(translator().locale.value) ?? DEFAULT_LOCALE,
);

const browserLanguages = (): readonly string[] => {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
};

let wanted: Locale = DEFAULT_LOCALE;

/** Switches at once when the catalog is here, else as soon as it has been fetched. */
const show = (locale: Locale): Promise<void> => {
  wanted = locale;
  // A slow fetch must not undo a later choice.
  const apply = () => {
    if (wanted === locale) translator().locale.value = locale;
  };
  const loading = loadCatalogs(locale);
  if (!loading) {
    apply();
    return Promise.resolve();
  }
  return loading.then(apply);
};

/** At start: the saved choice, else the language the page asks for, else the browser's. */
export const startLanguage = (requested?: string | null): Promise<void> =>
  show(chooseLocale({ saved: readStored(STORAGE_KEY), requested, browser: browserLanguages() }));

/** From a language switcher: shown at once and remembered in this browser. */
export const chooseLanguage = (locale: Locale): Promise<void> => {
  writeStored(STORAGE_KEY, locale);
  return show(locale);
};
