import { readdirSync, readFileSync } from "node:fs";

/** Linux clock ticks per second for /proc CPU times (USER_HZ, 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

/** User + system CPU seconds a process has used so far (undefined once it is gone). */
export const cpuSeconds = (pid: number): number | undefined => {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name may hold spaces; the fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
};

/** Resident set size in bytes. */
export const rssBytes = (pid: number): number | undefined => {
  const match = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? "");
  return match ? Number(match[1]) * 1024 : undefined;
};

export const openFileCount = (pid: number): number => {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
};

/** The soft limit on open files of a process. */
export const openFileLimit = (pid: number): number | undefined => {
  const match = /Max open files\s+(\d+)/.exec(read(`/proc/${pid}/limits`) ?? "");
  return match ? Number(match[1]) : undefined;
};

/** Processes whose command name is exactly `name` (postgres, nats-server, redis-server). */
export const pidsNamed = (name: string): number[] =>
  readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => read(`/proc/${d}/comm`)?.trim() === name)
    .map(Number);

/** Busy and total CPU seconds of the whole machine, all cores together. */
export const machineCpuSeconds = (): { busy: number; total: number } => {
  const line = (read("/proc/stat") ?? "").split("\n")[0] ?? "";
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
};
