import { afterEach, describe, expect, it } from "vitest";
import { i18n } from "../src/i18n/instance.js";
import {
  bucketLabel,
  customPeriod,
  dayInputValue,
  formatDuration,
  presetPeriod,
} from "../src/domain/report-period.js";

// Local times: the page's days are the browser's days, whatever zone the test runs in.
const NOW = new Date(2025, 2, 12, 15, 30);

describe("report periods", () => {
  it("today runs from this midnight to the next", () => {
    expect(presetPeriod("today", NOW)).toEqual({
      from: new Date(2025, 2, 12),
      to: new Date(2025, 2, 13),
    });
  });

  it("7 and 30 days include today", () => {
    expect(presetPeriod("7d", NOW)).toEqual({
      from: new Date(2025, 2, 6),
      to: new Date(2025, 2, 13),
    });
    expect(presetPeriod("30d", NOW).from).toEqual(new Date(2025, 1, 11));
  });

  it("a custom period covers its first and last day whole", () => {
    expect(customPeriod("2025-03-01", "2025-03-03")).toEqual({
      from: new Date(2025, 2, 1),
      to: new Date(2025, 2, 4),
    });
    expect(customPeriod("2025-03-03", "2025-03-03")).toEqual({
      from: new Date(2025, 2, 3),
      to: new Date(2025, 2, 4),
    });
  });

  it("says why a custom period cannot be shown", () => {
    expect(customPeriod("", "2025-03-03")).toBe("Pick the first and the last day.");
    expect(customPeriod("2025-02-30", "2025-03-03")).toBe("Pick the first and the last day.");
    expect(customPeriod("2025-03-04", "2025-03-03")).toBe("The last day comes before the first.");
    // 1 January to 2 April is 31 + 28 + 31 + 2 = 92 days.
    expect(customPeriod("2025-01-01", "2025-04-03")).toBe("A report covers at most 92 days.");
    expect(customPeriod("2025-01-01", "2025-04-02")).not.toBeTypeOf("string");
  });

  it("shows a day as a date input does", () => {
    expect(dayInputValue(new Date(2025, 0, 5))).toBe("2025-01-05");
  });
});

describe("report figures", () => {
  it("formats durations for people", () => {
    expect(formatDuration(null)).toBe("–");
    expect(formatDuration(44.6)).toBe("45 s");
    expect(formatDuration(120)).toBe("2 min");
    expect(formatDuration(125)).toBe("2 min 5 s");
    expect(formatDuration(4800)).toBe("1 h 20 min");
    expect(formatDuration(7200)).toBe("2 h");
    expect(formatDuration(2 * 86_400 + 3 * 3600)).toBe("2 d 3 h");
  });

  it("labels hours and days in the report's time zone", () => {
    const start = "2025-03-03T09:00:00.000Z";
    expect(bucketLabel(start, "hour", "UTC", false)).toBe("09:00");
    expect(bucketLabel(start, "hour", "Europe/Berlin", false)).toBe("10:00");
    expect(bucketLabel(start, "hour", "UTC", true)).toBe("Mon 09:00");
    expect(bucketLabel("2025-03-02T23:00:00.000Z", "day", "Europe/Berlin", true)).toBe("Mar 3");
  });

  it("labels and durations follow the shown language", () => {
    i18n.global.locale.value = "de";
    expect(bucketLabel("2025-03-03T09:00:00.000Z", "hour", "UTC", true)).toBe("Mo., 09:00");
    expect(bucketLabel("2025-03-02T23:00:00.000Z", "day", "Europe/Berlin", true)).toBe("3. März");
    expect(formatDuration(2 * 86_400 + 3 * 3600)).toBe("2 T 3 h");
    expect(customPeriod("2025-03-04", "2025-03-03")).toBe("Der letzte Tag liegt vor dem ersten.");
  });

  afterEach(() => {
    i18n.global.locale.value = "en";
  });
});
