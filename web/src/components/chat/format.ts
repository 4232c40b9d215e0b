import { d, tc, t } from "../../i18n/text.js";

export const timeOf = (iso: string): string => d(iso, "time");

export const waitText = (seconds: number | null): string => {
  if (seconds === null) return "";
  if (seconds < 60) return t("wait.underMinute");
  return tc("wait.minutes", Math.round(seconds / 60));
};
