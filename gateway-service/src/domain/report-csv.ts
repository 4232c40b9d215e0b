import type { DurationStats, RatingStats, SupportReport } from "@support-chat/contracts";

/**
 * A report as one CSV table in long form, one figure per row: spreadsheets pivot it any way a
 * manager likes, and every figure of the JSON report is in it. RFC 4180: CRLF line ends,
 * fields with a comma, quote or line break quoted.
 */
export const REPORT_CSV_COLUMNS = ["section", "key", "agent_id", "agent_name", "metric", "value"];

type Value = string | number | null;
type Line = [
  section: string,
  key: string,
  agentId: string,
  agentName: string,
  metric: string,
  value: Value,
];

const quoted = (field: string): string =>
  /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;

/**
 * Text people typed (agent names and ids) could start a spreadsheet formula; a leading
 * apostrophe makes spreadsheets show it as text.
 */
const inert = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

const durationLines = (name: string, stats: DurationStats): Line[] => [
  ["summary", "", "", "", `${name}_count`, stats.count],
  ["summary", "", "", "", `${name}_median_seconds`, stats.medianSeconds],
  ["summary", "", "", "", `${name}_p90_seconds`, stats.p90Seconds],
  ["summary", "", "", "", `${name}_average_seconds`, stats.averageSeconds],
];

const ratingLines = (section: string, agentId: string, agentName: string, r: RatingStats) =>
  [
    ["ratings_count", r.count],
    ["rating_average", r.average],
    ["csat_percent", r.csatPercent],
  ].map(([metric, value]) => [section, "", agentId, agentName, metric, value] as Line);

const linesOf = (report: SupportReport): Line[] => {
  const { period, summary } = report;
  return [
    ["period", "", "", "", "from", period.from],
    ["period", "", "", "", "to", period.to],
    ["period", "", "", "", "time_zone", period.timeZone],
    ["period", "", "", "", "bucket", period.bucket],
    ...(["chats", "assigned", "answered", "closed", "abandoned"] as const).map((metric): Line => [
      "summary",
      "",
      "",
      "",
      metric,
      summary[metric],
    ]),
    ...durationLines("first_response", summary.firstResponse),
    ...durationLines("wait", summary.wait),
    ...durationLines("resolution", summary.resolution),
    ...ratingLines("summary", "", "", summary.ratings),
    ...report.agents.flatMap((a): Line[] => [
      ["agent", "", a.agentId, a.agentName, "chats", a.chats],
      ["agent", "", a.agentId, a.agentName, "first_replies", a.firstReplies],
      ["agent", "", a.agentId, a.agentName, "closed", a.closed],
      ...ratingLines("agent", a.agentId, a.agentName, a.ratings),
    ]),
    ...report.workload.flatMap((b): Line[] => [
      ["workload", b.start, "", "", "opened", b.opened],
      ...b.agents.map((a): Line => ["workload", b.start, a.agentId, "", "chats_held", a.chats]),
    ]),
    ...report.busiestHours.map((h): Line => ["hour", String(h.hour), "", "", "chats", h.chats]),
    ...report.busiestWeekdays.map((d): Line => [
      "weekday",
      String(d.weekday),
      "",
      "",
      "chats",
      d.chats,
    ]),
    ...report.ratingDistribution.map((r): Line => [
      "rating",
      String(r.score),
      "",
      "",
      "count",
      r.count,
    ]),
  ];
};

export const reportCsv = (report: SupportReport): string =>
  [REPORT_CSV_COLUMNS, ...linesOf(report)]
    .map((line) =>
      line
        .map((field, i) => {
          const text = field === null ? "" : String(field);
          return quoted(i === 2 || i === 3 ? inert(text) : text);
        })
        .join(","),
    )
    .join("\r\n")
    .concat("\r\n");

/** A file name that says which period the report covers. */
export const reportFileName = (report: SupportReport): string => {
  const day = (iso: string) => iso.slice(0, 10);
  return `support-report-${day(report.period.from)}-to-${day(report.period.to)}.csv`;
};
