import { z } from "zod";

/** The parts of V8's `.cpuprofile` (what `Profiler.stop` returns) this summary reads. */
export const CpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      hitCount: z.number().optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
});
export type CpuProfile = z.infer<typeof CpuProfile>;

export type ProfileShare = { name: string; percent: number };

export type ProfileSummary = {
  service: string;
  seconds: number;
  /** Share of the profiled time the main thread was not idle. */
  busyPercent: number;
  /** Self time by where the code lives, in % of busy time. */
  byOrigin: ProfileShare[];
  /** The functions with the most self time, in % of busy time. */
  topFunctions: ProfileShare[];
};

/** Where a frame's code lives: a package, a workspace of ours, node itself, or V8. */
export const originOf = (url: string, functionName: string): string => {
  if (functionName === "(garbage collector)") return "V8 garbage collector";
  if (functionName === "(program)") return "V8/native (program)";
  if (url === "") return "V8/native builtins";
  if (url.startsWith("node:")) return "node core";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const parts = url.slice(modules + "/node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const ours = /\/(contracts|service-kit|[a-z]+-service)\/src\//.exec(url);
  return ours ? `ours: ${ours[1]}` : "other";
};

const top = (shares: Map<string, number>, busy: number, n: number): ProfileShare[] =>
  [...shares.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, hits]) => ({ name, percent: Math.round((hits / busy) * 1000) / 10 }));

export const summarizeProfile = (service: string, profile: CpuProfile): ProfileSummary => {
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    total += hits;
    if (functionName === "(idle)") idle += hits;
    if (hits === 0 || functionName === "(idle)" || functionName === "(root)") continue;
    const origin = originOf(url, functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + hits);
    const file = url.split("/").slice(-1)[0] ?? "";
    const name = `${functionName || "(anonymous)"}${file ? ` ${file}:${lineNumber + 1}` : ""} [${origin}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  }
  const busy = Math.max(1, total - idle);
  return {
    service,
    seconds: Math.round((profile.endTime - profile.startTime) / 1e4) / 100,
    busyPercent: total > 0 ? Math.round((busy / total) * 1000) / 10 : 0,
    byOrigin: top(byOrigin, busy, 10),
    topFunctions: top(byFunction, busy, 12),
  };
};
