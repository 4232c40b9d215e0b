import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import {
  createTestDatabase,
  natsUrl,
  redisUrl,
  uniqueName,
  type TestDatabase,
} from "@support-chat/test-support";
import jwt from "jsonwebtoken";
import postgres from "postgres";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImageBuilder, type StageResult } from "../src/image-builder.js";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { ofKind, renderKustomization } from "../src/kubernetes.js";
import {
  eventually,
  freePort,
  metricValue,
  startProcess,
  type RunningProcess,
} from "../src/processes.js";
import { inRepo, nodeServices, repoRoot, run, scratchDir, type NodeService } from "../src/repo.js";

/**
 * Every image's build and start, done by the Dockerfiles' own instructions on this machine (see
 * image-builder.ts), then the four services started from their runtime stages as one stack
 * against real Postgres, NATS and Redis.
 */
const JWT_SECRET = "ops-tests-secret-0123456789abcdefghijkl";
const namespace = uniqueName("ops");

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let database: TestDatabase;
let migrationsDatabase: TestDatabase;
const images = new Map<string, StageResult>();
const webBuild: { stage?: StageResult } = {};
const ports = new Map<string, number>();
const running = new Map<string, RunningProcess>();

const baseEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  npm_config_cache: process.env.npm_config_cache,
});

const serviceEnv = async (service: NodeService, stage: StageResult): Promise<NodeJS.ProcessEnv> => {
  const port = await freePort();
  ports.set(service.name, port);
  return {
    ...baseEnv(),
    ...stage.env,
    LOG_LEVEL: "warn",
    NATS_URL: natsUrl(),
    NATS_NAMESPACE: namespace,
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl(),
    SOCKET_IO_REDIS_KEY: `${namespace}-socket.io`,
    JWT_SECRET,
    // Quick assignment sweeps keep the conversation below short.
    ROUTING_SWEEP_MS: "500",
    [service.portVar]: String(port),
  };
};

const cwdOf = (stage: StageResult) => join(stage.root, stage.workdir);
const url = (service: string, path: string) => `http://127.0.0.1:${ports.get(service)}${path}`;
const scrape = async (service: string) => (await fetch(url(service, "/metrics"))).text();

beforeAll(async () => {
  scratch = await scratchDir("images");
  [database, migrationsDatabase] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const builder = createImageBuilder({ context: repoRoot, scratch: scratch.path, env: baseEnv() });
  for (const service of nodeServices) {
    images.set(service.name, (await builder.build(`${service.name}/Dockerfile`)).final);
  }
  if (existsSync(inRepo("web", "package.json"))) {
    webBuild.stage = (await builder.build("web/Dockerfile")).final;
  }
}, 900_000);

afterAll(async () => {
  for (const process of running.values())
    if (process.child.exitCode === null) process.child.kill("SIGKILL");
  const deleteStream = async () => {
    const nc = await connect({ servers: natsUrl() });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(`${namespace.toUpperCase()}_EVENTS`).catch(() => undefined);
    } finally {
      await nc.close();
    }
  };
  // Every clean-up runs even when another fails; failures are reported after all of them.
  const results = await Promise.allSettled([
    database?.drop(),
    migrationsDatabase?.drop(),
    deleteStream(),
    scratch?.remove(),
  ]);
  const failed = results.filter((r) => r.status === "rejected");
  if (failed.length > 0)
    throw new AggregateError(
      failed.map((r) => r.reason),
      "clean-up failed",
    );
}, 60_000);

describe("images built with their Dockerfiles' instructions, outside Docker", () => {
  it.each(nodeServices.map((s) => s.name))(
    "%s: runtime stage has the compiled service and only production dependencies",
    (name) => {
      const stage = images.get(name);
      expect(stage?.cmd).toEqual(["node", "dist/src/main.js"]);
      expect(stage?.user).toBe("node");
      const app = cwdOf(stage as StageResult);
      expect(existsSync(join(app, "dist", "src", "main.js"))).toBe(true);
      const modules = join((stage as StageResult).root, "app", "node_modules");
      expect(existsSync(join(modules, "@support-chat", "contracts"))).toBe(true);
      for (const devOnly of ["typescript", "vitest", "tsx", "eslint"])
        expect(existsSync(join(modules, devOnly)), `${devOnly} in the runtime image`).toBe(false);
    },
  );

  it.each([
    ["chat-service", ["chat_messages", "chat_rooms", "events", "relay_checkpoint"]],
    ["assignment-service", ["assignment_agent_settings", "assignment_requeued_rooms"]],
    ["notification-service", ["webhook_deliveries", "webhook_subscriptions"]],
  ])(
    "%s: the Kubernetes migrate init container applies the migrations with the image's code",
    async (name, tables) => {
      const stage = images.get(name) as StageResult;
      const rendered = await renderKustomization("deploy/k8s/base");
      const [deployment] = ofKind<IDeployment>(rendered, "Deployment").filter(
        (d) => d.metadata?.name === name,
      );
      const init = deployment?.spec?.template.spec?.initContainers?.find(
        (c) => c.name === "migrate",
      );
      expect(init, `${name} has a migrate init container`).toBeDefined();
      const argv = [...(init?.command ?? []), ...(init?.args ?? [])];
      const migrate = () =>
        run(argv[0] as string, argv.slice(1), {
          cwd: cwdOf(stage),
          env: { ...baseEnv(), ...stage.env, DATABASE_URL: migrationsDatabase.url },
        });
      const result = await migrate();
      expect(result.code, result.stderr).toBe(0);
      const sql = postgres(migrationsDatabase.url, { max: 1, onnotice: () => {} });
      try {
        const found = await sql<{ name: string }[]>`
          select table_name as name from information_schema.tables
          where table_schema = 'public' and table_name in ${sql(tables)}
          order by table_name`;
        expect(found.map((t) => t.name)).toEqual(tables);
      } finally {
        await sql.end();
      }
      // A second run (another replica's pod, a restart) finds nothing to do and succeeds.
      const again = await migrate();
      expect(again.code, again.stderr).toBe(0);
    },
  );

  it("a migrate init container exits 1 with one line naming the database it cannot reach", async () => {
    const stage = images.get("chat-service") as StageResult;
    const result = await run(process.execPath, ["dist/src/migrate.js"], {
      cwd: cwdOf(stage),
      env: {
        ...baseEnv(),
        ...stage.env,
        DATABASE_URL: "postgres://postgres:secret@127.0.0.1:1/support_chat",
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^chat-migrate: .*PostgreSQL.*127\.0\.0\.1:1/);
    expect(result.stderr).not.toContain("secret");
  });

  it("the four services start from their runtime stages and answer /healthz, their HEALTHCHECK and /readyz", async () => {
    // The order docker compose's health-checked depends_on gives: the chat service (which
    // migrates) first, then the rest.
    const order = ["chat-service", "assignment-service", "notification-service", "gateway-service"];
    for (const name of order) {
      const service = nodeServices.find((s) => s.name === name) as NodeService;
      const stage = images.get(name) as StageResult;
      const env = await serviceEnv(service, stage);
      const process = startProcess(stage.cmd ?? [], cwdOf(stage), env);
      running.set(name, process);
      await eventually(`${name} /healthz`, async () => {
        if (process.child.exitCode !== null)
          throw new Error(`${name} exited:\n${process.output()}`);
        return (await fetch(url(name, "/healthz"))).ok || undefined;
      });
      const probe = await run(
        stage.healthcheck?.[0] ?? "false",
        stage.healthcheck?.slice(1) ?? [],
        {
          cwd: cwdOf(stage),
          env,
        },
      );
      expect(probe.code, `${name} HEALTHCHECK: ${probe.stderr}`).toBe(0);
      await eventually(
        `${name} /readyz`,
        async () => (await fetch(url(name, "/readyz"))).ok || undefined,
      );
      expect(await scrape(name)).toContain(`service="${name}"`);
    }
  }, 120_000);

  it("after a conversation, the counters in every service's /metrics have moved", async () => {
    const customerId = `customer-${randomUUID()}`;
    const token = jwt.sign({ sub: customerId, name: "Carla", role: "customer" }, JWT_SECRET, {
      algorithm: "HS256",
      expiresIn: "10m",
    });
    const gateway = `http://127.0.0.1:${ports.get("gateway-service")}`;
    const opened = await fetch(`${gateway}/api/chat/room`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(opened.status).toBe(200);
    const room = (await opened.json()) as { id: string };

    const socket = io(`${gateway}/chat`, {
      auth: { token },
      transports: ["websocket"],
      reconnection: false,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
      const reply = (await socket.timeout(10_000).emitWithAck("sendMessage", {
        roomId: room.id,
        message: "Where is my order?",
        clientMessageId: randomUUID(),
      })) as { status: string };
      expect(reply.status).toBe("OK");

      const gatewayMetrics = await scrape("gateway-service");
      expect(metricValue(gatewayMetrics, "gateway_connected_sockets", { role: "customer" })).toBe(
        1,
      );
      expect(
        metricValue(gatewayMetrics, "gateway_socket_events_total", {
          event: "sendMessage",
          outcome: "ok",
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        metricValue(gatewayMetrics, "gateway_nats_request_duration_seconds_count"),
      ).toBeGreaterThanOrEqual(2);
      expect(metricValue(gatewayMetrics, "gateway_rest_requests_total")).toBeGreaterThanOrEqual(1);

      const chatMetrics = await scrape("chat-service");
      expect(
        metricValue(chatMetrics, "chat_events_appended_total", { type: "MessagePosted" }),
      ).toBeGreaterThanOrEqual(1);
      expect(metricValue(chatMetrics, "chat_append_duration_seconds_count")).toBeGreaterThanOrEqual(
        2,
      );
      await eventually(
        "the relay to publish",
        async () =>
          (metricValue(await scrape("chat-service"), "chat_events_published_total") ?? 0) >= 2 ||
          undefined,
      );
      await eventually(
        "the notification service to push",
        async () =>
          (metricValue(await scrape("notification-service"), "notification_events_total", {
            outcome: "pushed",
          }) ?? 0) >= 1 || undefined,
      );
      expect(
        metricValue(await scrape("notification-service"), "notification_push_lag_seconds_count"),
      ).toBeGreaterThanOrEqual(1);
      // No agent is online: the customer's room waits in the assignment queue.
      await eventually("the assignment service to queue the room", async () =>
        (metricValue(await scrape("assignment-service"), "assignment_queue_length") ?? 0) >= 1
          ? true
          : undefined,
      );
    } finally {
      socket.disconnect();
    }
    await eventually(
      "the socket gauge to drop",
      async () =>
        metricValue(await scrape("gateway-service"), "gateway_connected_sockets", {
          role: "customer",
        }) === 0 || undefined,
    );
  }, 60_000);

  it("every service stops on SIGTERM and exits 0 (graceful drain)", async () => {
    for (const [name, process] of [...running.entries()].reverse()) {
      process.child.kill("SIGTERM");
      const exit = await Promise.race([
        process.exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`${name} did not stop`)), 15_000),
        ),
      ]);
      expect(exit, `${name}:\n${process.output()}`).toEqual({ code: 0, signal: null });
    }
  }, 90_000);

  it("the event log backs up with pg_dump and restores, projections rebuilt, as docs/operations.md says", async () => {
    const chat = images.get("chat-service") as StageResult;
    const dump = join(scratch.path, "events.dump");
    const scratchDb = await createTestDatabase();
    try {
      const shell = (script: string) =>
        run("sh", ["-c", script], { env: { ...baseEnv(), PGCONNECT_TIMEOUT: "10" } });
      const backup = await shell(
        `pg_dump "${database.url}" --format=custom --table=events --file="${dump}"`,
      );
      expect(backup.code, backup.stderr).toBe(0);
      // Into the database the migrate init container prepared, without transaction_id.
      const restore = await shell(
        [
          `pg_restore --no-owner --section=pre-data --section=data --dbname="${scratchDb.url}" "${dump}"`,
          "COLUMNS=global_position,stream_id,stream_position,event_id,type,data,metadata,occurred_at",
          `psql -v ON_ERROR_STOP=1 "${scratchDb.url}" -c "\\copy (select $COLUMNS from events order by global_position) to pstdout" | psql -v ON_ERROR_STOP=1 "${migrationsDatabase.url}" -c "\\copy events ($COLUMNS) from pstdin"`,
          `psql -v ON_ERROR_STOP=1 "${migrationsDatabase.url}" -c "select setval(pg_get_serial_sequence('events', 'global_position'), max(global_position)) from events"`,
        ].join(" && "),
      );
      expect(restore.code, restore.stderr).toBe(0);
      const rebuild = await run(process.execPath, ["dist/src/rebuild.js"], {
        cwd: cwdOf(chat),
        env: { ...baseEnv(), ...chat.env, DATABASE_URL: migrationsDatabase.url, LOG_LEVEL: "warn" },
      });
      expect(rebuild.code, rebuild.stderr).toBe(0);
      const read = async (url: string) => {
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        try {
          return {
            events:
              await sql`select event_id, stream_position, type from events order by global_position`,
            messages:
              await sql`select id, chat_room_id, message, sender_id from chat_messages order by id`,
          };
        } finally {
          await sql.end();
        }
      };
      const [original, restored] = await Promise.all([
        read(database.url),
        read(migrationsDatabase.url),
      ]);
      expect(original.messages.length).toBeGreaterThanOrEqual(1);
      expect(restored).toEqual(original);
    } finally {
      await scratchDb.drop();
    }
  }, 60_000);

  it.skipIf(!existsSync(inRepo("web", "package.json")))(
    "web: the nginx runtime stage holds the built app and widget and a config nginx accepts",
    async () => {
      const stage = webBuild.stage as StageResult;
      const html = join(stage.root, "usr", "share", "nginx", "html");
      expect(existsSync(join(html, "index.html"))).toBe(true);
      expect(existsSync(join(html, "embed", "support-chat.js"))).toBe(true);
      const template = join(stage.root, "etc", "nginx", "templates", "default.conf.template");
      const { nginxAccepts } = await import("../src/nginx.js");
      const verdict = await nginxAccepts(template, { GATEWAY_ADDRESS: "127.0.0.1:3001" }, html);
      expect(verdict.code, verdict.stderr).toBe(0);
    },
  );
});
