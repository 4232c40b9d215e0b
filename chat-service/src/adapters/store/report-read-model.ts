import {
  DomainError,
  REPORT_LIMITS,
  type AgentReport,
  type DurationStats,
  type RatingStats,
  type ReportBucket,
  type ReportSummary,
} from "@support-chat/contracts";
import { sql, type SQL } from "drizzle-orm";
import type { Database, Queryable, Transaction } from "./db.js";

/** What one report asks for; `asOf` ends the stretches of agents still holding a room. */
export type ReportRequest = Readonly<{
  from: Date;
  to: Date;
  timeZone: string;
  bucket: ReportBucket;
  asOf: Date;
}>;

type Row = Record<string, unknown>;

const isTransaction = (db: Queryable): db is Transaction => "rollback" in db;

const num = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
const int = (value: unknown): number => Number(value ?? 0);

/** The rooms opened in the period: every cohort figure is about them. */
const cohort = (r: ReportRequest): SQL => sql`
  select * from report_rooms
  where opened_at >= ${r.from.toISOString()}::timestamptz
    and opened_at < ${r.to.toISOString()}::timestamptz`;

/** count, median, p90 and mean of a column of seconds (nulls are rooms it does not apply to). */
const durationColumns = (column: string): SQL => {
  const c = sql.raw(column);
  return sql`count(${c})::int as ${sql.raw(`${column}_count`)},
    percentile_cont(0.5) within group (order by ${c}) as ${sql.raw(`${column}_median`)},
    percentile_cont(0.9) within group (order by ${c}) as ${sql.raw(`${column}_p90`)},
    avg(${c}) as ${sql.raw(`${column}_avg`)}`;
};

const durationOf = (row: Row, column: string): DurationStats => ({
  count: int(row[`${column}_count`]),
  medianSeconds: num(row[`${column}_median`]),
  p90Seconds: num(row[`${column}_p90`]),
  averageSeconds: num(row[`${column}_avg`]),
});

const ratingColumns = sql`count(rating)::int as rating_count,
  avg(rating)::float8 as rating_avg,
  (count(*) filter (where rating >= ${REPORT_LIMITS.satisfiedFrom}))::int as rating_satisfied`;

const ratingsOf = (row: Row): RatingStats => {
  const count = int(row["rating_count"]);
  return {
    count,
    average: num(row["rating_avg"]),
    csatPercent: count === 0 ? null : (100 * int(row["rating_satisfied"])) / count,
  };
};

/** The hours or days of the period in its time zone, as instants: [start_at, end_at). */
const buckets = (r: ReportRequest): SQL => {
  const step = r.bucket === "hour" ? "1 hour" : "1 day";
  const tz = r.timeZone;
  return sql`
    select (g at time zone ${tz}) as start_at, ((g + ${step}::interval) at time zone ${tz}) as end_at
    from generate_series(
      date_trunc(${r.bucket}, ${r.from.toISOString()}::timestamptz at time zone ${tz}),
      (${r.to.toISOString()}::timestamptz at time zone ${tz}) - interval '1 microsecond',
      ${step}::interval) as g`;
};

/**
 * The report's figures, aggregated in SQL from `report_rooms` and `report_assignments`. The
 * definitions are in docs/reports.md; keep them in step.
 */
export const createReportReadModel = (db: Queryable) => {
  const rows = async (q: Queryable, query: SQL): Promise<Row[]> => [
    ...(await q.execute<Row>(query)),
  ];

  const assertTimeZone = async (q: Queryable, timeZone: string): Promise<void> => {
    const [known] = await rows(
      q,
      sql`select exists (select 1 from pg_timezone_names where name = ${timeZone}) as known`,
    );
    if (!known?.["known"]) {
      throw new DomainError("VALIDATION_FAILED", `unknown time zone ${timeZone}`);
    }
  };

  const summary = async (q: Queryable, r: ReportRequest): Promise<ReportSummary> => {
    const [row = {}] = await rows(
      q,
      sql`
      with cohort as (${cohort(r)}),
      timed as (
        select *,
          extract(epoch from first_response_at - opened_at)::float8 as first_response,
          extract(epoch from first_assigned_at - opened_at)::float8 as wait,
          case when first_assigned_at is not null
            then extract(epoch from closed_at - opened_at)::float8 end as resolution
        from cohort
      )
      select count(*)::int as chats,
        count(first_assigned_at)::int as assigned,
        count(first_response_at)::int as answered,
        count(closed_at)::int as closed,
        (count(*) filter (where closed_at is not null and first_assigned_at is null))::int
          as abandoned,
        ${durationColumns("first_response")},
        ${durationColumns("wait")},
        ${durationColumns("resolution")},
        ${ratingColumns}
      from timed`,
    );
    return {
      chats: int(row["chats"]),
      assigned: int(row["assigned"]),
      answered: int(row["answered"]),
      closed: int(row["closed"]),
      abandoned: int(row["abandoned"]),
      firstResponse: durationOf(row, "first_response"),
      wait: durationOf(row, "wait"),
      resolution: durationOf(row, "resolution"),
      ratings: ratingsOf(row),
    };
  };

  const agents = async (q: Queryable, r: ReportRequest): Promise<AgentReport[]> => {
    const found = await rows(
      q,
      sql`
      with cohort as (${cohort(r)}),
      spans as (select s.* from report_assignments s join cohort c using (room_id)),
      ids as (
        select agent_id from spans
        union select first_responder_id from cohort where first_responder_id is not null
        union select last_agent_id from cohort where last_agent_id is not null
      ),
      names as (
        select distinct on (agent_id) agent_id, agent_name from report_assignments
        where agent_id in (select agent_id from ids)
        order by agent_id, started_at desc
      )
      select i.agent_id,
        coalesce(n.agent_name,
          (select max(first_responder_name) from cohort where first_responder_id = i.agent_id),
          i.agent_id) as agent_name,
        (select count(distinct room_id) from spans where agent_id = i.agent_id)::int as chats,
        (select count(*) from cohort where first_responder_id = i.agent_id)::int as first_replies,
        (select count(*) from cohort where last_agent_id = i.agent_id and closed_at is not null)::int
          as closed,
        l.*
      from ids i
      left join names n using (agent_id)
      left join lateral (
        select ${ratingColumns} from cohort where last_agent_id = i.agent_id
      ) l on true
      order by chats desc, first_replies desc, i.agent_id`,
    );
    return found.map((row) => ({
      agentId: String(row["agent_id"]),
      agentName: String(row["agent_name"]),
      chats: int(row["chats"]),
      firstReplies: int(row["first_replies"]),
      closed: int(row["closed"]),
      ratings: ratingsOf(row),
    }));
  };

  const workload = async (q: Queryable, r: ReportRequest) => {
    const from = sql`${r.from.toISOString()}::timestamptz`;
    const to = sql`${r.to.toISOString()}::timestamptz`;
    const opened = await rows(
      q,
      sql`
      with buckets as (${buckets(r)})
      select b.start_at, count(o.room_id)::int as opened
      from buckets b
      left join report_rooms o
        on o.opened_at >= greatest(b.start_at, ${from}) and o.opened_at < least(b.end_at, ${to})
      group by b.start_at
      order by b.start_at`,
    );
    // A stretch [started_at, ended_at) counts in every bucket it overlaps; one still running
    // ends at asOf.
    const held = await rows(
      q,
      sql`
      with buckets as (${buckets(r)})
      select b.start_at, s.agent_id, count(distinct s.room_id)::int as chats
      from buckets b
      join report_assignments s
        on s.started_at < least(b.end_at, ${to})
        and coalesce(s.ended_at, ${r.asOf.toISOString()}::timestamptz) > greatest(b.start_at, ${from})
      group by b.start_at, s.agent_id
      order by b.start_at, s.agent_id`,
    );
    const key = (value: unknown) => new Date(value as string | Date).toISOString();
    const agentsAt = new Map<string, { agentId: string; chats: number }[]>();
    for (const row of held) {
      const list = agentsAt.get(key(row["start_at"])) ?? [];
      list.push({ agentId: String(row["agent_id"]), chats: int(row["chats"]) });
      agentsAt.set(key(row["start_at"]), list);
    }
    return opened.map((row) => ({
      start: key(row["start_at"]),
      opened: int(row["opened"]),
      agents: agentsAt.get(key(row["start_at"])) ?? [],
    }));
  };

  /** Counts of the cohort by a whole-number expression, every value from `first` to `last` present. */
  const countsBy = async (
    q: Queryable,
    r: ReportRequest,
    expression: SQL,
    first: number,
    last: number,
  ) => {
    const found = await rows(
      q,
      sql`
      with cohort as (${cohort(r)})
      select ${expression} as value, count(*)::int as n from cohort
      where ${expression} is not null
      group by 1`,
    );
    const counts = new Map(found.map((row) => [int(row["value"]), int(row["n"])]));
    return Array.from({ length: last - first + 1 }, (_, i) => ({
      value: first + i,
      count: counts.get(first + i) ?? 0,
    }));
  };

  const localPart = (r: ReportRequest, field: "hour" | "isodow") =>
    sql`extract(${sql.raw(field)} from opened_at at time zone ${r.timeZone})::int`;

  /** A read-only repeatable-read transaction; inside a caller's transaction, that one. */
  const snapshot = <T>(work: (q: Queryable) => Promise<T>): Promise<T> =>
    isTransaction(db)
      ? work(db)
      : (db as Database).transaction(work, {
          isolationLevel: "repeatable read",
          accessMode: "read only",
        });

  /** One read-only snapshot, so every figure of a report counts the same rooms. */
  const supportReport = (r: ReportRequest) =>
    snapshot(async (q) => {
      await assertTimeZone(q, r.timeZone);
      return {
        summary: await summary(q, r),
        agents: await agents(q, r),
        workload: await workload(q, r),
        busiestHours: (await countsBy(q, r, localPart(r, "hour"), 0, 23)).map((c) => ({
          hour: c.value,
          chats: c.count,
        })),
        busiestWeekdays: (await countsBy(q, r, localPart(r, "isodow"), 1, 7)).map((c) => ({
          weekday: c.value,
          chats: c.count,
        })),
        ratingDistribution: (
          await countsBy(q, r, sql`rating::int`, 1, REPORT_LIMITS.ratingMax)
        ).map((c) => ({ score: c.value, count: c.count })),
      };
    });

  return { supportReport };
};

export type ReportReadModel = ReturnType<typeof createReportReadModel>;
