import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: every deployment file is found from here. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const inRepo = (...parts: string[]): string => join(repoRoot, ...parts);

/** The Node services and the web app, each with its own image. */
export const nodeServices = [
  { name: "gateway-service", portVar: "GATEWAY_PORT", port: 3001 },
  { name: "chat-service", portVar: "CHAT_OPS_PORT", port: 3002 },
  { name: "notification-service", portVar: "NOTIFICATION_OPS_PORT", port: 3003 },
  { name: "assignment-service", portVar: "ASSIGNMENT_OPS_PORT", port: 3004 },
] as const;
export type NodeService = (typeof nodeServices)[number];
export const imageNames = [...nodeServices.map((s) => s.name), "web"] as const;

export type RunResult = { code: number; stdout: string; stderr: string };

/** Runs a command to its end and reports how it ended; never throws for a non-zero exit. */
export const run = (
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd ?? repoRoot,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code =
          error === null ? 0 : typeof error.code === "number" ? error.code : error.killed ? 124 : 1;
        resolve({ code, stdout, stderr: stderr || (error && code !== 0 ? error.message : "") });
      },
    );
  });

/** A scratch directory, removed by the returned function. */
export const scratchDir = async (
  prefix: string,
): Promise<{ path: string; remove: () => Promise<void> }> => {
  const path = await mkdtemp(join(tmpdir(), `ops-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
};
