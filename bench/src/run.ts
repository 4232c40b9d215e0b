/**
 * `npm run bench`: the load benchmark. Settings come from BENCH_* variables (see
 * docs/benchmarks.md); results go to bench/results/ (JSON, Markdown, chart).
 */
import { runBenchmark } from "./bench.js";
import { loadOptions } from "./options.js";
import { say } from "./say.js";
import { exitCleanlyOnSignals, killChildren } from "./system/children.js";

const main = async () => {
  const options = loadOptions();
  exitCleanlyOnSignals(say);
  say(
    `support-chat benchmark${options.quick ? " (quick mode)" : ""}; results in ${options.resultsDir}`,
  );
  const { results, files } = await runBenchmark(options);
  say("");
  for (const g of results.goals) {
    const mark = g.met === null ? "–" : g.met ? "✔" : "✘";
    say(`${mark} ${g.goal}: ${g.measured} (goal ${g.target})`);
  }
  say("");
  say(`wrote ${files.json}, ${files.markdown}, ${files.svg}${files.png ? `, ${files.png}` : ""}`);
};

main().then(
  () => process.exit(0),
  (err: unknown) => {
    killChildren();
    process.stderr.write(
      `benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
