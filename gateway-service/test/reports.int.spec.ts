import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import {
  AgentView,
  ChatRoom,
  chatCommands,
  subjectsFor,
  SupportReport,
} from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";
import { natsUrl } from "@support-chat/test-support";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { connectSocket, eventually, expectRestError, rest, restData } from "./support/clients.js";
import { startHarness, type Harness, type Person } from "./support/harness.js";

/**
 * Reports from a scripted day: every step happens at a time the test sets on the chat
 * service's clock, and every expected figure below is worked out by hand from that script.
 */
const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

let clock = new Date("2025-03-03T00:00:00Z");
/** Monday 3 March 2025, UTC (Berlin is UTC+1 that day). */
const at = (time: string, day = "2025-03-03") => {
  clock = new Date(`${day}T${time}Z`);
};

let h: Harness;
let nc: NatsConnection;
const sockets: Socket[] = [];

beforeAll(async () => {
  h = await startHarness({ chatClock: () => clock });
  nc = await connect({ servers: natsUrl() });
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await nc?.close();
  await h?.stop();
});

const call = (who: Person | null, method: string, path: string, body?: unknown) =>
  rest(h.url, who, method, path, body);

const DAY = { from: "2025-03-03T00:00:00.000Z", to: "2025-03-04T00:00:00.000Z" };
const reportPath = (query: Record<string, string>) =>
  `/chat/support/reports?${new URLSearchParams(query).toString()}`;

const openRoom = async (customer: Person) =>
  restData(await call(customer, "GET", "/chat/room"), 200, ChatRoom);
const say = async (who: Person, roomId: string, message: string) =>
  expect(
    (
      await call(who, "POST", `/chat/room/${roomId}/messages`, {
        message,
        clientMessageId: randomUUID(),
      })
    ).status,
  ).toBe(201);
const claim = async (agent: Person, roomId: string) =>
  restData(await call(agent, "POST", `/chat/support/room/${roomId}/assign`), 200, ChatRoom);
const close = async (who: Person, roomId: string) =>
  restData(await call(who, "POST", `/chat/room/${roomId}/close`), 200, ChatRoom);
const rate = (customer: Person, roomId: string, score: number) =>
  requesterFor({
    nc,
    operations: chatCommands,
    subjectOf: subjectsFor(h.namespace).command,
    timeoutMs: 10_000,
  })("rateRoom", {
    actor: { id: customer.id, name: customer.name, role: "customer" },
    correlationId: randomUUID(),
    payload: { roomId, score, comment: null },
  });

/** An agent with the console open, so rooms can be transferred to them. */
const onlineAgent = async (name: string): Promise<Person> => {
  const agent = h.person("agent", name, `agent-${name.toLowerCase()}`);
  sockets.push(await connectSocket(h.url, agent));
  await eventually(
    async () => restData(await call(agent, "GET", "/chat/support/agents"), 200, z.array(AgentView)),
    (agents) => agents.some((a) => a.agentId === agent.id && a.online),
  );
  return agent;
};

let ada: Person;
let ben: Person;
let manager: Person;

/** The day, step by step; times are UTC. */
const playTheDay = async () => {
  ada = await onlineAgent("Ada");
  ben = h.person("agent", "Ben", "agent-ben");
  manager = h.person("manager", "Mia");

  // Opened the evening before: outside the period's rooms, but Ada holds it after midnight.
  at("23:50:00", "2025-03-02");
  const night = await openRoom(h.person("customer", "Nora"));
  at("00:05:00");
  await claim(ada, night.id);
  at("00:30:00");
  await close(ada, night.id);

  // Room 1: wait 60 s, first response 120 s, resolved in 1200 s, rated 5.
  const carla = h.person("customer", "Carla");
  at("08:00:00");
  const one = await openRoom(carla);
  at("08:00:10");
  await say(carla, one.id, "Where is my order?");
  at("08:01:00");
  await claim(ada, one.id);
  at("08:02:00");
  await say(ada, one.id, "Let me look.");
  at("08:05:00");
  await say(ada, one.id, "It ships today.");
  at("08:20:00");
  await close(carla, one.id);
  at("08:21:00");
  await rate(carla, one.id, 5);

  // Room 2: Ben waits 120 s and answers at 300 s, hands it to Ada, who closes at 2400 s; rated 2.
  const dora = h.person("customer", "Dora");
  at("09:30:00");
  const two = await openRoom(dora);
  at("09:32:00");
  await claim(ben, two.id);
  at("09:35:00");
  await say(ben, two.id, "Hello Dora.");
  at("09:40:00");
  restData(
    await call(ben, "POST", `/chat/support/room/${two.id}/transfer`, { agentId: ada.id }),
    200,
    ChatRoom,
  );
  at("10:10:00");
  await close(ada, two.id);
  at("10:11:00");
  await rate(dora, two.id, 2);

  // Room 3: wait 90 s, first response 120 s, still open when the report is read.
  const emil = h.person("customer", "Emil");
  at("09:45:00");
  const three = await openRoom(emil);
  at("09:46:30");
  await claim(ada, three.id);
  at("09:47:00");
  await say(ada, three.id, "Hi Emil.");

  // Room 4: the customer gives up before anyone takes it.
  const finn = h.person("customer", "Finn");
  at("10:05:00");
  const four = await openRoom(finn);
  at("10:15:00");
  await close(finn, four.id);

  at("12:00:00");
};

/** What the script above gives, worked out by hand. */
const expectTheDay = (report: SupportReport) => {
  expect(report.period).toEqual({ ...DAY, timeZone: "UTC", bucket: "hour" });
  expect(report.summary).toEqual({
    chats: 4,
    assigned: 3,
    answered: 3,
    closed: 3,
    abandoned: 1,
    // 120, 120, 300: the p90 lies 0.9 × 2 = 1.8 places along, 120 + 0.8 × 180.
    firstResponse: { count: 3, medianSeconds: 120, p90Seconds: 264, averageSeconds: 180 },
    // 60, 90, 120: p90 = 90 + 0.8 × 30.
    wait: { count: 3, medianSeconds: 90, p90Seconds: 114, averageSeconds: 90 },
    // Rooms 1 and 2 (room 4 was never assigned): 1200, 2400; p90 = 1200 + 0.9 × 1200.
    resolution: { count: 2, medianSeconds: 1800, p90Seconds: 2280, averageSeconds: 1800 },
    ratings: { count: 2, average: 3.5, csatPercent: 50 },
  });
  expect(report.agents).toEqual([
    {
      agentId: ada.id,
      agentName: "Ada",
      chats: 3,
      firstReplies: 2,
      closed: 2,
      ratings: { count: 2, average: 3.5, csatPercent: 50 },
    },
    {
      agentId: ben.id,
      agentName: "Ben",
      chats: 1,
      firstReplies: 1,
      closed: 0,
      ratings: { count: 0, average: null, csatPercent: null },
    },
  ]);
  expect(report.workload).toHaveLength(24);
  const hour = (n: number) => report.workload[n];
  expect(hour(0)).toEqual({
    start: "2025-03-03T00:00:00.000Z",
    opened: 0,
    agents: [{ agentId: ada.id, chats: 1 }],
  });
  expect(hour(8)).toMatchObject({ opened: 1, agents: [{ agentId: ada.id, chats: 1 }] });
  expect(hour(9)).toMatchObject({
    opened: 2,
    agents: [
      { agentId: ada.id, chats: 2 },
      { agentId: ben.id, chats: 1 },
    ],
  });
  expect(hour(10)).toMatchObject({ opened: 1, agents: [{ agentId: ada.id, chats: 2 }] });
  // Room 3 is still Ada's: held up to the time of the report (12:00), no further.
  expect(hour(11)).toMatchObject({ opened: 0, agents: [{ agentId: ada.id, chats: 1 }] });
  for (const n of [1, 2, 3, 4, 5, 6, 7, 12, 13, 23]) {
    expect(hour(n)).toMatchObject({ opened: 0, agents: [] });
  }
  const busiest = Object.fromEntries(
    report.busiestHours.filter((b) => b.chats > 0).map((b) => [b.hour, b.chats]),
  );
  expect(busiest).toEqual({ 8: 1, 9: 2, 10: 1 });
  expect(report.busiestHours).toHaveLength(24);
  expect(report.busiestWeekdays).toEqual(
    [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, chats: weekday === 1 ? 4 : 0 })),
  );
  expect(report.ratingDistribution).toEqual([
    { score: 1, count: 0 },
    { score: 2, count: 1 },
    { score: 3, count: 0 },
    { score: 4, count: 0 },
    { score: 5, count: 1 },
  ]);
};

const readReport = async (query: Record<string, string> = DAY) =>
  restData(await call(manager, "GET", reportPath(query)), 200, SupportReport);

const readCsv = async () => {
  const res = await fetch(`${h.url}/api${reportPath({ ...DAY, format: "csv" })}`, {
    headers: { authorization: `Bearer ${manager.token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
  expect(res.headers.get("content-disposition")).toBe(
    'attachment; filename="support-report-2025-03-03-to-2025-03-04.csv"',
  );
  return res.text();
};

const expectTheDayInCsv = (csv: string) => {
  const lines = csv.split("\r\n");
  expect(lines[0]).toBe("section,key,agent_id,agent_name,metric,value");
  expect(lines.at(-1)).toBe("");
  for (const line of [
    "period,,,,time_zone,UTC",
    "summary,,,,chats,4",
    "summary,,,,abandoned,1",
    "summary,,,,first_response_median_seconds,120",
    "summary,,,,first_response_p90_seconds,264",
    "summary,,,,wait_average_seconds,90",
    "summary,,,,resolution_median_seconds,1800",
    "summary,,,,csat_percent,50",
    "summary,,,,rating_average,3.5",
    `agent,,${ada.id},Ada,chats,3`,
    `agent,,${ada.id},Ada,closed,2`,
    `agent,,${ben.id},Ben,first_replies,1`,
    `agent,,${ben.id},Ben,rating_average,`,
    "workload,2025-03-03T09:00:00.000Z,,,opened,2",
    `workload,2025-03-03T09:00:00.000Z,${ada.id},,chats_held,2`,
    "hour,9,,,chats,2",
    "weekday,1,,,chats,4",
    "rating,5,,,count,1",
  ]) {
    expect(lines).toContain(line);
  }
};

describe("reports for managers", () => {
  let before: { json: SupportReport; csv: string };

  it("computes the scripted day's figures, as JSON and as CSV", async () => {
    await playTheDay();
    const json = await readReport();
    expectTheDay(json);
    const csv = await readCsv();
    expectTheDayInCsv(csv);
    before = { json, csv };
  });

  it("counts hours and weekdays in the time zone asked for", async () => {
    const berlin = await readReport({ ...DAY, timeZone: "Europe/Berlin" });
    expect(berlin.period.timeZone).toBe("Europe/Berlin");
    expect(berlin.summary).toEqual(before.json.summary);
    const busiest = Object.fromEntries(
      berlin.busiestHours.filter((b) => b.chats > 0).map((b) => [b.hour, b.chats]),
    );
    expect(busiest).toEqual({ 9: 1, 10: 2, 11: 1 });
    // A longer period is counted per day of the time zone: Berlin's 2, 3 and 4 March.
    const week = await readReport({
      from: "2025-03-01T23:00:00.000Z",
      to: "2025-03-04T23:00:00.000Z",
      timeZone: "Europe/Berlin",
    });
    expect(week.period.bucket).toBe("day");
    expect(week.summary.chats).toBe(5);
    expect(week.workload.map((b) => [b.start, b.opened])).toEqual([
      ["2025-03-01T23:00:00.000Z", 0],
      ["2025-03-02T23:00:00.000Z", 5],
      ["2025-03-03T23:00:00.000Z", 0],
    ]);
  });

  it("gives the same figures after the projections are rebuilt from the log", async () => {
    // Damage the report tables, so that a rebuild that did nothing could not pass.
    await h.sql`delete from report_assignments where n = 1`;
    await h.sql`update report_rooms set rating = null, first_response_at = opened_at`;
    expect((await readReport()).summary).not.toEqual(before.json.summary);

    const { stderr } = await run(
      "npm",
      ["run", "rebuild-projections", "-w", "@support-chat/chat-service"],
      { cwd: repositoryRoot, env: { ...process.env, DATABASE_URL: h.env["DATABASE_URL"] } },
    );
    expect(stderr).not.toMatch(/error/i);
    const json = await readReport();
    expectTheDay(json);
    expect(json).toEqual(before.json);
    expect(await readCsv()).toBe(before.csv);
  });

  it("is refused to customers, agents and anyone without a token, and changes nothing", async () => {
    const events = await h.eventCount();
    const path = reportPath(DAY);
    expectRestError(await call(h.person("customer"), "GET", path), 403, "FORBIDDEN");
    expectRestError(await call(h.person("agent"), "GET", path), 403, "FORBIDDEN");
    expectRestError(await call(null, "GET", path), 401, "UNAUTHENTICATED");
    expect((await call(h.person("admin"), "GET", path)).status).toBe(200);
    expect(await h.eventCount()).toBe(events);
  });

  it("refuses bad periods, time zones and formats with a clear 400", async () => {
    const bad = async (query: Record<string, string>, says: RegExp) => {
      const error = expectRestError(
        await call(manager, "GET", reportPath(query)),
        400,
        "VALIDATION_FAILED",
      );
      expect(error.message).toMatch(says);
    };
    await bad({ to: DAY.to }, /from/);
    await bad({ ...DAY, from: "yesterday" }, /from/);
    await bad({ from: DAY.to, to: DAY.from }, /later than from/);
    await bad({ from: DAY.from, to: DAY.from }, /later than from/);
    await bad({ from: "2025-01-01T00:00:00Z", to: "2025-05-01T00:00:00Z" }, /at most 92 days/);
    await bad({ ...DAY, timeZone: "Mars/Olympus" }, /time zone/);
    await bad({ ...DAY, format: "xml" }, /format/);
  });
});
