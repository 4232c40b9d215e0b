import { performance } from "node:perf_hooks";
import { cpuSeconds, machineCpuSeconds } from "./procfs.js";

/** Named groups of processes whose CPU use is followed (a service, all Postgres backends...). */
export type CpuGroups = Record<string, () => number[]>;

export type CpuSnapshot = {
  at: number;
  seconds: Record<string, number>;
  machine: { busy: number; total: number };
};

/**
 * CPU per group over an interval, in % of one core; `machineBusyPercent` is % of all cores,
 * `elsewherePercent` (% of one core) what the rest of the machine used meanwhile: other
 * people's work on a shared box shows up there.
 */
export type CpuUse = {
  perGroup: Record<string, number>;
  machineBusyPercent: number;
  elsewherePercent: number;
};

export const cpuMonitor = (groups: CpuGroups) => {
  const snapshot = (): CpuSnapshot => ({
    at: performance.now(),
    seconds: Object.fromEntries(
      Object.entries(groups).map(([name, pids]) => [
        name,
        pids().reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0),
      ]),
    ),
    machine: machineCpuSeconds(),
  });
  const since = (start: CpuSnapshot): CpuUse => {
    const end = snapshot();
    const wall = (end.at - start.at) / 1000;
    const perGroup = Object.fromEntries(
      Object.keys(groups).map((name) => {
        const used = (end.seconds[name] ?? 0) - (start.seconds[name] ?? 0);
        return [name, Math.max(0, Math.round((used / wall) * 1000) / 10)];
      }),
    );
    const total = end.machine.total - start.machine.total;
    const busy = end.machine.busy - start.machine.busy;
    const ours = Object.values(perGroup).reduce((a, b) => a + b, 0);
    return {
      perGroup,
      machineBusyPercent: total > 0 ? Math.round((busy / total) * 1000) / 10 : 0,
      elsewherePercent: Math.max(0, Math.round(((busy / wall) * 100 - ours) * 10) / 10),
    };
  };
  return { snapshot, since };
};
export type CpuMonitor = ReturnType<typeof cpuMonitor>;
