import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { BenchResults } from "../src/report/results.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const resultsDir = mkdtempSync(join(tmpdir(), "bench-quick-"));

/** `npm run bench` in quick mode, as its own process tree, into a directory of its own. */
const runQuickBenchmark = () =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "bench/src/run.ts"],
      {
        cwd: root,
        env: { ...process.env, BENCH_QUICK: "1", BENCH_RESULTS_DIR: resultsDir },
        timeout: 110_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (_err, stdout, stderr) => resolve({ code: child.exitCode, output: `${stdout}${stderr}` }),
    );
  });

describe("the benchmark harness in quick mode", () => {
  afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

  it(
    "measures both targets end to end, loses nothing and writes its report",
    { timeout: 120_000 },
    async () => {
      const { code, output } = await runQuickBenchmark();
      expect(code, output).toBe(0);
      const results = JSON.parse(
        readFileSync(join(resultsDir, "results.json"), "utf8"),
      ) as BenchResults;

      for (const load of [results.load.raw, results.load.system]) {
        expect(load, output).not.toBeNull();
        const [first] = load!.steps;
        expect(first!.sent).toBeGreaterThan(0);
        expect(first!.delivered).toBe(first!.sent);
        expect(first!.lost).toBe(0);
        expect(first!.duplicates).toBe(0);
        expect(first!.ackErrors).toEqual({});
        expect(first!.latency.toAgent.count).toBeGreaterThan(0);
        expect(first!.latency.toCustomer.count).toBeGreaterThan(0);
        expect(first!.latency.all.p50).toBeGreaterThan(0);
      }
      // Every message reaches both people in its room; agents also see every room's update.
      expect(results.load.system!.steps[0]!.pushesPerMessage["newMessage"]).toBe(2);
      expect(results.hops?.[0]?.samples).toBeGreaterThan(0);

      expect(results.appendRate!.levels[0]!.committed).toBeGreaterThan(0);
      expect(results.appendRate!.levels[0]!.errors).toBe(0);
      expect(results.commitFloor!.settings["synchronous_commit"]).toBeDefined();
      expect(results.catchUp).toMatchObject({ missed: 200, pages: 1 });

      expect(results.idle!.gateway).toMatchObject({
        connected: 400,
        serverCounted: 400,
        failed: 0,
      });
      expect(results.idle!.raw).toMatchObject({ connected: 400, serverCounted: 400, failed: 0 });

      expect(results.goals.map((g) => g.goal)).toContain("Idle sockets held by one gateway");
      expect(readFileSync(join(resultsDir, "results.md"), "utf8")).toContain("## Goals");
      const png = readFileSync(join(resultsDir, "chart.png"));
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      expect(statSync(join(resultsDir, "chart.png")).size).toBeGreaterThan(20_000);
    },
  );
});
