/**
 * Re-renders results.md and the chart from a results.json (after a change to the report):
 * `node --conditions=source --import tsx bench/src/render.ts [results dir]`.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadOptions } from "./options.js";
import type { BenchResults } from "./report/results.js";
import { writeResults } from "./report/write.js";
import { say } from "./say.js";

const dir = resolve(process.argv[2] ?? loadOptions().resultsDir);
const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as BenchResults;
const files = await writeResults(dir, results, (e) => say(`chart.png not written: ${String(e)}`));
say(`wrote ${files.markdown}, ${files.svg}${files.png ? `, ${files.png}` : ""}`);
