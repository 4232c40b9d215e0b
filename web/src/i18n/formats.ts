import type { Locale } from "./locales.js";

/**
 * Named date, time and number formats. Every language uses the same Intl options; Intl itself
 * makes them local (24-hour clock in German, the order of day and month, separators). Both
 * translators (vue-i18n in the console, the widget's own) format with these.
 */
export const DATETIME_FORMATS = {
  time: { hour: "2-digit", minute: "2-digit" },
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  mediumDate: { dateStyle: "medium" },
  dayMonth: { month: "short", day: "numeric" },
  hour24: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  weekdayHour24: { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

export const NUMBER_FORMATS = {
  integer: { maximumFractionDigits: 0 },
  decimal: { minimumFractionDigits: 1, maximumFractionDigits: 1 },
  price: { style: "currency", currency: "EUR" },
} as const satisfies Record<string, Intl.NumberFormatOptions>;

export type DateTimeFormatName = keyof typeof DATETIME_FORMATS;
export type NumberFormatName = keyof typeof NUMBER_FORMATS;

export const datetimeFormatsFor = (locales: readonly Locale[]) =>
  Object.fromEntries(locales.map((locale) => [locale, DATETIME_FORMATS]));

export const numberFormatsFor = (locales: readonly Locale[]) =>
  Object.fromEntries(locales.map((locale) => [locale, NUMBER_FORMATS]));
