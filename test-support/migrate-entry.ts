import { execFile } from "node:child_process";

export type MigrateRun = { code: number; stdout: string; stderr: string };

/**
 * Runs a service's standalone migrate entry point (`src/migrate.ts` in `serviceDir`) as its own
 * process, the way the init container does, against `databaseUrl`.
 */
export const runMigrateEntry = (serviceDir: string, databaseUrl: string): Promise<MigrateRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "src/migrate.ts"],
      {
        cwd: serviceDir,
        env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, LOG_LEVEL: "info" },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
