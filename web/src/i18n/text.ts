import type appSchema from "./app/en.json";
import type { DateTimeFormatName, NumberFormatName } from "./formats.js";
import { translator, type Named } from "./translator.js";
import type widgetSchema from "./widget/en.json";

/**
 * What components and stores call to show text. The English catalogs are the schema: a key
 * that is not in them does not type-check, in scripts and in templates alike. The texts come
 * from the installed translator: vue-i18n in the console, a small one of its own in the widget.
 */
type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageSchema = typeof widgetSchema & typeof appSchema;
export type MessageKey = Leaves<MessageSchema>;
export type { Named };

export const t = (key: MessageKey, named: Named = {}): string => translator().t(key, named);

/** A text that depends on a number: "1 new message | {n} new messages" (`{n}` is the count). */
export const tc = (key: MessageKey, count: number, named: Named = {}): string =>
  translator().t(key, { n: count, ...named }, count);

/**
 * A text split around some of its placeholders, so a template can put markup there (a `<code>`)
 * while the words stay in the catalog: `[{ text: "Check the " }, { slot: "header" }, …]`.
 */
export const textPieces = (
  key: MessageKey,
  slots: readonly string[],
): ({ text: string } | { slot: string })[] => {
  const mark = "\u0000";
  const named = Object.fromEntries(slots.map((slot) => [slot, `${mark}${slot}${mark}`]));
  return t(key, named)
    .split(mark)
    .map((piece, i) => (i % 2 === 1 ? { slot: piece } : { text: piece }))
    .filter((piece) => !("text" in piece) || piece.text !== "");
};

/** Whether a key built at run time (an error code, a status) has a text. */
export const hasText = (key: string): key is MessageKey => translator().has(key, "en");

/**
 * A date or time in the shown language, in the viewer's time zone unless one is given; "" for
 * a value that is not a date.
 */
export const d = (
  value: Date | string | number,
  format: DateTimeFormatName,
  timeZone?: string,
): string => {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return translator().d(date, format, timeZone);
};

export const n = (value: number, format: NumberFormatName): string => translator().n(value, format);
