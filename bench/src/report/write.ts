import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { renderChart } from "./chart.js";
import { renderMarkdown } from "./markdown.js";
import { svgToPng } from "./png.js";
import type { BenchResults } from "./results.js";

export type WrittenFiles = { json: string; markdown: string; svg: string; png: string | null };

/** results.json, results.md, chart.svg and chart.png in the results directory. */
export const writeResults = async (
  dir: string,
  results: BenchResults,
  onPngError: (e: unknown) => void,
): Promise<WrittenFiles> => {
  mkdirSync(dir, { recursive: true });
  const files = {
    json: join(dir, "results.json"),
    markdown: join(dir, "results.md"),
    svg: join(dir, "chart.svg"),
    png: join(dir, "chart.png"),
  };
  // Formatted like every other JSON file of the repository, so the lint passes over it.
  const json = await format(JSON.stringify(results), {
    ...(await resolveConfig(files.json)),
    parser: "json",
  });
  writeFileSync(files.json, json);
  // Every run is also kept (uncommitted) under tmp/runs, so a later run does not lose it.
  const archive = join(dir, "tmp", "runs", results.startedAt.replace(/[:.]/g, "-"));
  mkdirSync(archive, { recursive: true });
  writeFileSync(join(archive, "results.json"), json);
  writeFileSync(files.markdown, renderMarkdown(results));
  const svg = renderChart(results);
  writeFileSync(files.svg, svg);
  try {
    const match = /width="(\d+)" height="(\d+)"/.exec(svg);
    writeFileSync(files.png, await svgToPng(svg, Number(match?.[1]), Number(match?.[2])));
    return files;
  } catch (e) {
    onPngError(e);
    return { ...files, png: null };
  }
};
