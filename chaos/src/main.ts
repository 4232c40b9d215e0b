import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { renderMarkdown } from "./domain/report.js";
import { FAULTS, PROFILES, type FaultName } from "./profile.js";
import { runChaos } from "./run.js";

const { values } = parseArgs({
  options: {
    short: { type: "boolean", default: false },
    seed: { type: "string" },
    /** A comma list of faults to inject instead of all of them (while working on one). */
    only: { type: "string" },
  },
});

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "results");
const profile = values.short ? PROFILES.short : PROFILES.full;
const only = values.only?.split(",").map((f) => f.trim());
const unknown = only?.filter((f) => !(FAULTS as readonly string[]).includes(f)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`unknown faults: ${unknown.join(", ")}; known: ${FAULTS.join(", ")}\n`);
  process.exit(2);
}
const faults = (only ?? [...FAULTS]) as FaultName[];
const seed = values.seed ? Number(values.seed) : Date.now() % 1_000_000;
const say = (line: string) =>
  process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

try {
  const report = await runChaos({
    profile,
    faults,
    seed,
    postgresAdminUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    say,
    logsDir: join(resultsDir, "logs"),
  });
  await mkdir(resultsDir, { recursive: true });
  const base = join(resultsDir, `chaos-${profile.name}`);
  const markdown = renderMarkdown(report);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown);
  process.stdout.write(`\n${markdown}\nreport: ${base}.json, ${base}.md\n`);
  process.exit(report.ok ? 0 : 1);
} catch (e) {
  say(`the run itself failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(2);
}
