import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { adopt } from "./children.js";
import { lifelineUrl } from "./service-process.js";

const relayPath = join(dirname(fileURLToPath(import.meta.url)), "..", "raw-relay.ts");

export type RawRelayProcess = {
  pid: number;
  url: string;
  memory: () => Promise<{ rss: number; heapUsed: number; sockets: number }>;
  stop: () => Promise<void>;
};

/** The baseline relay in a process of its own, started the same way as the services. */
export const startRawRelay = async (): Promise<RawRelayProcess> => {
  const child = adopt(
    fork(relayPath, [], {
      execArgv: ["--conditions=source", "--import", "tsx", "--import", lifelineUrl],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m: { type: string; port: number }) => resolve(m.port));
    child.once("exit", (code) => reject(new Error(`raw relay exited during start (${code})`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    pid: child.pid ?? -1,
    url,
    memory: async () =>
      (await (await fetch(`${url}/memory`)).json()) as {
        rss: number;
        heapUsed: number;
        sockets: number;
      },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
};
