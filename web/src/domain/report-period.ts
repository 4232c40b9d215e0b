import { d, t, type MessageKey } from "../i18n/text.js";

/**
 * The periods a manager picks on the reports page, as the instants the gateway wants. Days are
 * the browser's local days; the report counts hours and days in the same time zone.
 */
export type PeriodChoice = "today" | "7d" | "30d" | "custom";

export interface Period {
  from: Date;
  to: Date;
}

/** The longest period a report covers (the gateway refuses longer ones). */
export const MAX_PERIOD_DAYS = 92;

const startOfDay = (d: Date): Date => new Date(d.getFullYear(), d.getMonth(), d.getDate());
const addDays = (d: Date, days: number): Date =>
  new Date(d.getFullYear(), d.getMonth(), d.getDate() + days);

/** Today, or the last 7 or 30 days including today, ending at the next midnight. */
export const presetPeriod = (choice: Exclude<PeriodChoice, "custom">, now: Date): Period => {
  const tomorrow = addDays(startOfDay(now), 1);
  const days = choice === "today" ? 1 : choice === "7d" ? 7 : 30;
  return { from: addDays(tomorrow, -days), to: tomorrow };
};

/** `yyyy-mm-dd` of a local day, as a date input shows it. */
export const dayInputValue = (d: Date): string =>
  [d.getFullYear(), d.getMonth() + 1, d.getDate()]
    .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, "0"))
    .join("-");

const parseDay = (value: string): Date | null => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const day = new Date(y, m - 1, d);
  return day.getMonth() === m - 1 ? day : null;
};

/**
 * From the first day's midnight to the midnight after the last day; a reason instead when the
 * days are missing, backwards or too far apart.
 */
export const customPeriod = (first: string, last: string): Period | string => {
  const from = parseDay(first);
  const lastDay = parseDay(last);
  if (!from || !lastDay) return t("reports.rules.pickDays");
  if (lastDay < from) return t("reports.rules.backwards");
  const to = addDays(lastDay, 1);
  // Measured as the gateway measures it: in hours, so a day lengthened by a clock change counts.
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
    return t("reports.rules.tooLong", { max: MAX_PERIOD_DAYS });
  }
  return { from, to };
};

const UNIT: Record<"s" | "min" | "h" | "d", MessageKey> = {
  s: "reports.duration.seconds",
  min: "reports.duration.minutes",
  h: "reports.duration.hours",
  d: "reports.duration.days",
};

/** The larger unit, and the smaller one when it is not zero: "2 min 5 s", "2 h". */
const twoUnits = (
  big: number,
  bigUnit: keyof typeof UNIT,
  small: number,
  smallUnit: keyof typeof UNIT,
) =>
  small
    ? `${t(UNIT[bigUnit], { n: big })} ${t(UNIT[smallUnit], { n: small })}`
    : t(UNIT[bigUnit], { n: big });

/** "45 s", "2 min 5 s", "1 h 20 min", "2 d 3 h"; a dash when there is nothing to measure. */
export const formatDuration = (seconds: number | null): string => {
  if (seconds === null) return "–";
  const s = Math.round(seconds);
  if (s < 60) return t(UNIT.s, { n: s });
  if (s < 3600) return twoUnits(Math.floor(s / 60), "min", s % 60, "s");
  if (s < 86_400) return twoUnits(Math.floor(s / 3600), "h", Math.round((s % 3600) / 60), "min");
  return twoUnits(Math.floor(s / 86_400), "d", Math.round((s % 86_400) / 3600), "h");
};

/** A bucket's label: its hour (with the day when the period spans days) or its day. */
export const bucketLabel = (
  start: string,
  bucket: "hour" | "day",
  timeZone: string,
  spansDays: boolean,
): string => {
  const format = bucket === "day" ? "dayMonth" : spansDays ? "weekdayHour24" : "hour24";
  return d(start, format, timeZone);
};

/** The browser's time zone, which the page's days and hours are in. */
export const browserTimeZone = (): string =>
  Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
