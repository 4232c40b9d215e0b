import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { collectDefaultMetrics, Registry } from "prom-client";

/** A named readiness check: resolves when the dependency answers, rejects when it does not. */
export type ReadinessCheck = { name: string; check: () => Promise<unknown> };

export const createMetricsRegistry = (service: string): Registry => {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
};

const CHECK_TIMEOUT_MS = 2000;

const runCheck = async ({ name, check }: ReadinessCheck): Promise<[string, string]> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS);
      }),
    ]);
    return [name, "ok"];
  } catch (e) {
    return [name, e instanceof Error ? e.message : String(e)];
  } finally {
    clearTimeout(timer);
  }
};

/**
 * `/healthz` (the process is alive), `/readyz` (every dependency answers and the service is not
 * draining) and `/metrics` (Prometheus). Returns true when it handled the request, so the
 * gateway can mount it in front of Express and the other services can serve it alone.
 */
export const opsHandler =
  (opts: { registry: Registry; checks: ReadinessCheck[]; isDraining?: () => boolean }) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "").split("?")[0];
    if (path === "/healthz") {
      send(res, 200, { status: "ok" });
      return true;
    }
    if (path === "/readyz") {
      const results = Object.fromEntries(await Promise.all(opts.checks.map(runCheck)));
      const draining = opts.isDraining?.() ?? false;
      const ready = !draining && Object.values(results).every((r) => r === "ok");
      send(res, ready ? 200 : 503, {
        status: ready ? "ready" : "not ready",
        draining,
        checks: results,
      });
      return true;
    }
    if (path === "/metrics") {
      res.writeHead(200, { "content-type": opts.registry.contentType });
      res.end(await opts.registry.metrics());
      return true;
    }
    return false;
  };

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

/** A small HTTP server for services that have no HTTP API of their own. */
export const startOpsServer = async (
  port: number,
  handler: ReturnType<typeof opsHandler>,
): Promise<Server> => {
  const server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) send(res, 404, { error: { code: "NOT_FOUND", message: "not found" } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  return server;
};
