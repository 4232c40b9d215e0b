import { person } from "@support-chat/system-tests/src/clients.js";
import { natsUrl } from "@support-chat/test-support";
import { Agent } from "./adapters/agent.js";
import { startCluster, type Cluster } from "./adapters/cluster.js";
import { Customer } from "./adapters/customer.js";
import { openEventLog, type EventLog } from "./adapters/event-log.js";
import { faultsFor } from "./adapters/faults.js";
import type { Participant } from "./adapters/participant.js";
import { Ledger } from "./domain/ledger.js";
import { auditLog } from "./domain/log-audit.js";
import type { ChaosReport, FaultRecord } from "./domain/report.js";
import { tally, type HeldView } from "./domain/tally.js";
import { judgeRun, totalOf, type Observations } from "./domain/verdict.js";
import type { FaultName, Profile } from "./profile.js";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded generator, so a run's behaviour can be repeated from its seed. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const waitFor = async (check: () => Promise<boolean> | boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await pause(250);
  }
  return check();
};

export type RunOptions = {
  profile: Profile;
  /** The faults to inject, in this order (all of FAULTS for a real run). */
  faults: readonly FaultName[];
  seed: number;
  postgresAdminUrl: string;
  say: (line: string) => void;
  logsDir: string;
};

type Cast = { customers: Customer[]; agents: Agent[]; everyone: () => Participant[] };

const castFor = (cluster: Cluster, profile: Profile, ledger: Ledger, phase: () => string): Cast => {
  const customers = Array.from(
    { length: profile.customers },
    (_, i) =>
      new Customer(
        person(cluster.jwtSecret, "customer", `Customer ${i + 1}`),
        cluster.url,
        ledger,
        phase,
      ),
  );
  const agents: Agent[] = [];
  return { customers, agents, everyone: () => [...customers, ...agents] };
};

/**
 * The whole run: start every service as a process, let customers and agents talk, inject the
 * faults one at a time, then let everything settle and check the invariants against the
 * event log and every client's screen.
 */
export const runChaos = async (opts: RunOptions): Promise<ChaosReport> => {
  const { profile, say } = opts;
  const started = Date.now();
  say(`starting every service as a process (profile ${profile.name}, seed ${opts.seed})`);
  const cluster = await startCluster({ agentMaxChats: profile.agentMaxChats, logLevel: "warn" });
  let phase = "warm-up";
  const ledger = new Ledger();
  const cast = castFor(cluster, profile, ledger, () => phase);
  const addAgent = () => {
    const who = person(cluster.jwtSecret, "agent", `Agent ${cast.agents.length + 1}`);
    const agent = new Agent(who, cluster.url, ledger, () => phase);
    cast.agents.push(agent);
    agent.connect();
  };
  const random = seeded(opts.seed);
  const beat = setInterval(() => {
    for (const p of cast.everyone()) p.tick(random);
  }, profile.beatMs);
  const faults: FaultRecord[] = [];
  const startingOver: Array<Promise<void>> = [];
  let log: EventLog | undefined;
  try {
    await Promise.all(
      cast.customers.map(async (c) => {
        await c.openRoom();
        c.connect();
      }),
    );
    for (let i = 0; i < profile.agentsAtStart; i++) addAgent();
    say(`${cast.customers.length} customers and ${cast.agents.length} agents talking`);
    await pause(profile.leadMs);

    let nextToStartOver = 0;
    for (let round = 0; round < profile.rounds; round++) {
      const byName = faultsFor(
        cluster,
        { nats: natsUrl(), postgresAdmin: opts.postgresAdminUrl },
        round,
      );
      for (const name of opts.faults) {
        phase = round === 0 ? name : `${name}#${round + 1}`;
        for (let i = 0; i < profile.startOversPerFault; i++) {
          const customer = cast.customers[nextToStartOver++ % cast.customers.length]!;
          startingOver.push(customer.startOver());
        }
        await pause(profile.leadMs);
        const arriving = round === 0 && profile.agentsArrivingDuring.includes(name);
        const fault = byName[name];
        say(`${phase}: ${fault.description}`);
        const timing = await fault.inject(profile.downMs, () => arriving && addAgent());
        const unrecovered = await cluster.waitReady(profile.recoverMs);
        const evidence = Object.fromEntries(unrecovered.map((p) => [p, cluster.tail(p, 20)]));
        for (const process of unrecovered) {
          say(`  ${process} did not recover after ${phase}; replacing it as a supervisor would`);
          await cluster.replace(process);
        }
        faults.push({
          phase,
          fault: name,
          description: fault.description,
          downMs: timing.backAt - timing.downAt,
          recoveryMs: Date.now() - timing.downAt,
          unrecovered,
          evidence,
        });
        say(`  back after ${((Date.now() - timing.downAt) / 1000).toFixed(1)} s`);
        await pause(profile.tailMs);
      }
    }

    say("writing stops; draining outboxes, waiting for assignments and catch-ups");
    phase = "after";
    for (const p of cast.everyone()) p.stopWriting();
    clearInterval(beat);
    await Promise.all(startingOver);
    await waitFor(() => cast.everyone().every((p) => p.outboxSize === 0), profile.drainMs);
    log = openEventLog(cluster.database.url);
    const eventLog = log;
    // Enough agents for every open room, so every room still waiting must now be assigned.
    const needed = Math.ceil((await eventLog.openRooms()) / profile.agentMaxChats);
    while (cast.agents.length < needed) addAgent();
    await waitFor(async () => (await eventLog.unassignedRooms()).length === 0, profile.settleMs);
    const unassignedRooms = await eventLog.unassignedRooms();

    const liveViews = () => [
      ...cast.customers.flatMap((c) =>
        c.roomId ? [{ who: c.id, view: c.views.get(c.roomId)! }] : [],
      ),
      ...cast.agents.flatMap((a) =>
        [...a.assigned].map((r) => ({ who: a.id, view: a.views.get(r)! })),
      ),
    ];
    const behind = async () => {
      const last = await eventLog.lastSeqs();
      return liveViews()
        .filter(({ view }) => view && view.contiguousSeq < (last.get(view.roomId) ?? 0))
        .map(
          ({ who, view }) =>
            `${who} room ${view.roomId}: has 1..${view.contiguousSeq} of ${last.get(view.roomId)}`,
        );
    };
    await waitFor(async () => (await behind()).length === 0, profile.settleMs);
    const notCaughtUpOnTheirOwn = await behind();

    const views: HeldView[] = cast.everyone().flatMap((p) =>
      [...p.views.values()].map((view) => ({
        participantId: p.id,
        view,
        seqsBeforeResync: new Set(view.shown().map((m) => m.seq)),
      })),
    );
    say("final resync of every client, then the audit");
    await Promise.race([
      Promise.all(cast.everyone().flatMap((p) => [...p.views.keys()].map((r) => p.catchUp(r)))),
      pause(profile.settleMs),
    ]);
    for (const p of cast.everyone()) p.halt();

    const audit = auditLog(await eventLog.events(), profile.agentMaxChats);
    const phases = ["warm-up", ...faults.map((f) => f.phase)];
    const counted = tally(ledger.all(), audit, views, phases);
    const stats = cast.everyone().map((p) => p.stats);
    const observed: Observations = {
      unrecovered: faults.flatMap((f) => f.unrecovered.map((p) => `${f.phase}: ${p}`)),
      unassignedRooms,
      notCaughtUpOnTheirOwn,
      invalidPushes: stats.reduce((n, s) => n + s.invalidPushes, 0),
    };
    const invariants = judgeRun({ ledger: ledger.all(), audit, views, tally: counted, observed });
    const ok = invariants.every((i) => i.ok);
    const logs = ok ? [] : await cluster.saveLogs(opts.logsDir);
    const retriesByReason: Record<string, number> = {};
    for (const s of stats) {
      for (const [k, v] of Object.entries(s.retries))
        retriesByReason[k] = (retriesByReason[k] ?? 0) + v;
    }
    return {
      ok,
      profile: profile.name,
      seed: opts.seed,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      participants: {
        customers: cast.customers.length,
        agents: cast.agents.length,
        rooms: audit.rooms.size,
        agentMaxChats: profile.agentMaxChats,
      },
      phases: counted.phases.map((t) => ({
        ...t,
        fault: faults.find((f) => f.phase === t.phase) ?? null,
      })),
      total: totalOf(counted.phases),
      invariants,
      clients: {
        reconnects: stats.reduce((n, s) => n + Math.max(0, s.connects - 1), 0),
        catchUps: stats.reduce((n, s) => n + s.catchUps, 0),
        retriesByReason,
        pushesOutOfOrder: views.reduce((n, v) => n + v.view.pushesOutOfOrder, 0),
        redundantArrivals: views.reduce((n, v) => n + v.view.redundantArrivals, 0),
      },
      peakLoadByAgent: Object.fromEntries(audit.peakLoad),
      logs,
    };
  } finally {
    clearInterval(beat);
    for (const p of cast.everyone()) p.halt();
    await log?.close().catch(() => undefined);
    await cluster.stop();
  }
};
