import { z } from "zod";
import { DisplayName, IsoDateTime, UserId } from "./primitives.js";

/**
 * Reports for managers: figures about conversations, projected from the event log. Every
 * metric is defined in docs/reports.md; the chat service computes them, the gateway serves
 * them as JSON or CSV to managers and admins.
 */
export const REPORT_LIMITS = {
  /** The longest period one report may cover (a quarter); keeps every answer small. */
  periodMaxDays: 92,
  /** Up to this many days, workload is counted per hour; past it, per day. */
  hourlyBucketsMaxDays: 2,
  /** Ratings are whole numbers from 1 to this. */
  ratingMax: 5,
  /** Ratings at or above this count as satisfied for CSAT. */
  satisfiedFrom: 4,
} as const;

const DAY_MS = 86_400_000;

/** An IANA time zone name (`Europe/Berlin`, `UTC`) this runtime knows. */
export const isTimeZone = (name: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
};

export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, "timeZone must be an IANA time zone such as UTC or Europe/Berlin");

type Period = { from: string; to: string };

/** `to` after `from`, and not more than the longest period apart. */
const boundedPeriod = <S extends z.ZodType<Period>>(schema: S) =>
  schema
    .refine((p) => Date.parse(p.to) > Date.parse(p.from), {
      message: "to must be later than from",
      path: ["to"],
    })
    .refine((p) => Date.parse(p.to) - Date.parse(p.from) <= REPORT_LIMITS.periodMaxDays * DAY_MS, {
      message: `a report covers at most ${REPORT_LIMITS.periodMaxDays} days`,
      path: ["to"],
    });

export const ReportFormat = z.enum(["json", "csv"]);
export type ReportFormat = z.infer<typeof ReportFormat>;

/**
 * `GET /chat/support/reports?from=<ISO>&to=<ISO>&timeZone=<IANA>&format=json|csv` (managers
 * and admins). The period is [from, to); hours and days are counted in `timeZone` (UTC when
 * absent).
 */
export const ReportQuery = boundedPeriod(
  z.object({
    from: IsoDateTime,
    to: IsoDateTime,
    timeZone: TimeZone.default("UTC"),
    format: ReportFormat.default("json"),
  }),
);
export type ReportQuery = z.infer<typeof ReportQuery>;

/** NATS: `getSupportReport` (managers, admins). */
export const GetSupportReport = boundedPeriod(
  z.object({ from: IsoDateTime, to: IsoDateTime, timeZone: TimeZone }),
);
export type GetSupportReport = z.infer<typeof GetSupportReport>;

const Count = z.number().int().nonnegative();
const Seconds = z.number().nonnegative();

/** A duration over the conversations it applies to; the figures are null when there are none. */
export const DurationStats = z.object({
  count: Count,
  medianSeconds: Seconds.nullable(),
  p90Seconds: Seconds.nullable(),
  averageSeconds: Seconds.nullable(),
});
export type DurationStats = z.infer<typeof DurationStats>;

export const RatingStats = z.object({
  count: Count,
  /** Mean score, 1 to 5. */
  average: z.number().min(1).max(REPORT_LIMITS.ratingMax).nullable(),
  /** Share of ratings at 4 or 5, in percent. */
  csatPercent: z.number().min(0).max(100).nullable(),
});
export type RatingStats = z.infer<typeof RatingStats>;

export const ReportSummary = z.object({
  /** Conversations opened in the period: the cohort every other summary figure is about. */
  chats: Count,
  assigned: Count,
  answered: Count,
  closed: Count,
  /** Closed without ever being assigned to an agent. */
  abandoned: Count,
  firstResponse: DurationStats,
  wait: DurationStats,
  resolution: DurationStats,
  ratings: RatingStats,
});
export type ReportSummary = z.infer<typeof ReportSummary>;

export const AgentReport = z.object({
  agentId: UserId,
  agentName: DisplayName,
  /** Conversations of the cohort assigned to the agent at some point. */
  chats: Count,
  /** Conversations of the cohort whose first support reply was the agent's. */
  firstReplies: Count,
  /** Conversations of the cohort closed while the agent held them (or held them last). */
  closed: Count,
  ratings: RatingStats,
});
export type AgentReport = z.infer<typeof AgentReport>;

export const ReportBucket = z.enum(["hour", "day"]);
export type ReportBucket = z.infer<typeof ReportBucket>;

/** One hour or day of the period: conversations opened, and conversations each agent held. */
export const WorkloadBucket = z.object({
  start: IsoDateTime,
  opened: Count,
  agents: z.array(z.object({ agentId: UserId, chats: Count })),
});
export type WorkloadBucket = z.infer<typeof WorkloadBucket>;

export const SupportReport = z.object({
  period: z.object({
    from: IsoDateTime,
    to: IsoDateTime,
    timeZone: z.string(),
    bucket: ReportBucket,
  }),
  summary: ReportSummary,
  agents: z.array(AgentReport),
  workload: z.array(WorkloadBucket),
  /** 24 entries, hour 0 to 23 of the time zone: conversations opened in that hour. */
  busiestHours: z.array(z.object({ hour: z.number().int().min(0).max(23), chats: Count })),
  /** 7 entries, ISO weekday 1 (Monday) to 7 (Sunday) of the time zone. */
  busiestWeekdays: z.array(z.object({ weekday: z.number().int().min(1).max(7), chats: Count })),
  /** 5 entries, score 1 to 5: ratings of the cohort. */
  ratingDistribution: z.array(
    z.object({ score: z.number().int().min(1).max(REPORT_LIMITS.ratingMax), count: Count }),
  ),
});
export type SupportReport = z.infer<typeof SupportReport>;

/** Whether a period is short enough to count workload per hour. */
export const bucketFor = (period: Period): ReportBucket =>
  Date.parse(period.to) - Date.parse(period.from) <= REPORT_LIMITS.hourlyBucketsMaxDays * DAY_MS
    ? "hour"
    : "day";
