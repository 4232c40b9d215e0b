import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export type ServiceName =
  "chat-service" | "gateway-service" | "notification-service" | "assignment-service";

/** The port each service answers /healthz and /readyz on. */
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

/**
 * One service as a real OS process (from its TypeScript sources), so a test can kill -9 it
 * mid-flight and start it again, exactly as a crash would happen in production.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  readonly output: string[] = [];

  private constructor(
    readonly name: ServiceName,
    readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  static async create(name: ServiceName, env: Record<string, string>): Promise<ServiceProcess> {
    const port = await freePort();
    return new ServiceProcess(name, { ...env, [opsPortVariable[name]]: String(port) }, port);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "src/main.ts"],
      {
        cwd: join(root, this.name),
        env: { ...process.env, ...this.env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 500) this.output.shift();
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    await this.waitReady(timeoutMs);
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) {
        throw new Error(`${this.name} exited during start:\n${this.output.join("")}`);
      }
      try {
        const res = await fetch(`${this.url}/readyz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms:\n${this.output.join("")}`);
  }

  /** kill -9: no shutdown hooks, no flushing, like a crash or an OOM kill. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** SIGTERM: the graceful path. */
  async stop(): Promise<void> {
    await this.signal("SIGTERM");
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    await exited;
  }
}
