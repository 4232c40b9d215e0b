import type { ChildProcess } from "node:child_process";

const children = new Set<ChildProcess>();
const cleanups: Array<{ name: string; run: () => Promise<unknown> }> = [];

/** Every child the benchmark starts is registered here, so none outlives it. */
export const adopt = <C extends ChildProcess>(child: C): C => {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
};

export const killChildren = (): void => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
};

/** Work to undo at the end, run in reverse order (databases, streams, Redis keys). */
export const onCleanup = (name: string, run: () => Promise<unknown>): void => {
  cleanups.push({ name, run });
};

export const runCleanups = async (report: (line: string) => void): Promise<void> => {
  while (cleanups.length > 0) {
    const step = cleanups.pop()!;
    try {
      await step.run();
    } catch (err) {
      report(`cleanup "${step.name}" failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
};

/**
 * Ctrl-C or a kill ends the run cleanly: children first (they hold the load), then the
 * cleanups, bounded so a hung cleanup cannot keep the process alive.
 */
export const exitCleanlyOnSignals = (report: (line: string) => void): void => {
  const stop = (signal: NodeJS.Signals) => {
    report(`${signal}: stopping every child and cleaning up`);
    killChildren();
    const force = setTimeout(() => process.exit(130), 15_000);
    force.unref();
    void runCleanups(report).finally(() => process.exit(130));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.once("exit", killChildren);
};
