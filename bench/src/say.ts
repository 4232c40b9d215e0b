import { performance } from "node:perf_hooks";

/** Progress lines for whoever runs the benchmark (plain text, not log records), timed from start. */
export const say = (line: string): void => {
  const at = (performance.now() / 1000).toFixed(1).padStart(6);
  process.stdout.write(line ? `[${at}s] ${line}\n` : "\n");
};
