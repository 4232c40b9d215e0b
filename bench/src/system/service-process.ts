import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { adopt } from "./children.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const lifelineUrl = pathToFileURL(
  join(dirname(fileURLToPath(import.meta.url)), "lifeline.ts"),
).href;

export type ServiceName =
  "chat-service" | "gateway-service" | "notification-service" | "assignment-service";

/** The variable naming the port each service answers /readyz and /metrics on. */
const opsPortVariable: Record<ServiceName, string> = {
  "chat-service": "CHAT_OPS_PORT",
  "gateway-service": "GATEWAY_PORT",
  "notification-service": "NOTIFICATION_OPS_PORT",
  "assignment-service": "ASSIGNMENT_OPS_PORT",
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

export type ServiceOptions = {
  /** Extra node flags, e.g. `--inspect=127.0.0.1:0` for the profiling pass. */
  nodeFlags?: string[];
  /** Open-file limit to ask for before exec (the soft limit is raised to the hard one at least). */
  openFiles?: number;
};

/**
 * One service as its own OS process, started from its sources the way the system tests do
 * (`node --conditions=source --import tsx src/main.ts`), behind a shell that raises its
 * open-file limit and then execs node (same pid, so CPU and memory are read from /proc).
 */
export class ServiceProcess {
  private readonly tail: string[] = [];

  private constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.tail.push(chunk.toString());
      if (this.tail.length > 200) this.tail.shift();
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
  }

  static async start(
    name: ServiceName,
    env: Record<string, string>,
    options: ServiceOptions = {},
  ): Promise<ServiceProcess> {
    const port = await freePort();
    const wanted = options.openFiles ?? 65_536;
    const raiseLimit = `ulimit -n ${wanted} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;
    const child = adopt(
      spawn(
        "sh",
        [
          "-c",
          raiseLimit,
          process.execPath,
          "--conditions=source",
          "--import",
          "tsx",
          "--import",
          lifelineUrl,
          ...(options.nodeFlags ?? []),
          "src/main.ts",
        ],
        {
          cwd: join(repoRoot, name),
          env: { ...process.env, ...env, [opsPortVariable[name]]: String(port) },
          stdio: ["ignore", "pipe", "pipe"],
        },
      ),
    );
    const service = new ServiceProcess(name, port, child);
    await service.waitReady(60_000);
    return service;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get output(): string {
    return this.tail.join("");
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited during start:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/readyz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGTERM (the service drains and exits; a CPU profile is written then), SIGKILL if it hangs. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (!this.running) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** The service's Prometheus text. */
  async metrics(): Promise<string> {
    const res = await fetch(`${this.url}/metrics`);
    return res.text();
  }
}
