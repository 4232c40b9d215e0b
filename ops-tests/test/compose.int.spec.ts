import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { nginxAccepts } from "../src/nginx.js";
import { inRepo, nodeServices, run, scratchDir } from "../src/repo.js";

/**
 * docker-compose.yml checked by Debian's docker-compose (`config` validates against the Compose
 * schema and resolves variables without a Docker engine), then read for what it must contain.
 */
type ComposeService = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
  networks?: Record<string, { aliases?: string[] } | null>;
};
type Compose = { services: Record<string, ComposeService>; volumes: Record<string, unknown> };

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let envFile: string;

const compose = (file: string, args: string[], env = envFile) =>
  run("docker-compose", ["--env-file", env, "--project-directory", inRepo(), "-f", file, ...args]);

const resolved = async (profile?: string): Promise<Compose> => {
  const result = await compose(inRepo("docker-compose.yml"), [
    ...(profile ? ["--profile", profile] : []),
    "config",
  ]);
  expect(result.code, result.stderr).toBe(0);
  return parse(result.stdout) as Compose;
};

beforeAll(async () => {
  scratch = await scratchDir("compose");
  envFile = join(scratch.path, "test.env");
  await writeFile(
    envFile,
    "JWT_SECRET=a-test-secret-of-at-least-32-characters\nPOSTGRES_PASSWORD=test\nMINIO_ROOT_PASSWORD=test-minio\n",
  );
});
afterAll(() => scratch?.remove());

describe("docker-compose.yml", () => {
  it("is valid for docker-compose", async () => {
    const result = await compose(inRepo("docker-compose.yml"), ["config", "-q"]);
    expect(result.code, result.stderr).toBe(0);
  });

  it("runs Postgres, Redis and NATS with JetStream on named volumes, health-checked", async () => {
    const { services, volumes } = await resolved();
    for (const [name, mount] of [
      ["postgres", "/var/lib/postgresql/data"],
      ["redis", "/data"],
      ["nats", "/data"],
    ] as const) {
      const volume = services[name]?.volumes?.find(
        (v) => v.endsWith(`:${mount}`) || v.includes(`:${mount}:`),
      );
      expect(volume, `${name} stores ${mount} on a volume`).toBeDefined();
      expect(Object.keys(volumes)).toContain(volume?.split(":")[0]);
      expect(services[name]?.healthcheck?.test.length, `${name} health check`).toBeGreaterThan(0);
    }
    expect(services.nats?.command).toEqual(expect.arrayContaining(["-js", "-sd", "/data"]));
  });

  it("builds every service from its Dockerfile and starts it only when what it needs is healthy", async () => {
    const { services } = await resolved();
    const needs: Record<string, string[]> = {
      "chat-service": ["postgres", "nats"],
      "assignment-service": ["postgres", "nats", "chat-service"],
      "notification-service": ["nats", "redis", "chat-service"],
      "gateway-1": ["nats", "redis", "chat-service"],
      "gateway-2": ["nats", "redis", "chat-service"],
      web: ["gateway-1", "gateway-2"],
    };
    for (const [name, dependencies] of Object.entries(needs)) {
      const service = services[name];
      expect(service, name).toBeDefined();
      for (const dependency of dependencies)
        expect(service?.depends_on?.[dependency]?.condition, `${name} → ${dependency}`).toBe(
          "service_healthy",
        );
    }
    for (const { name } of nodeServices) {
      const built = Object.values(services).filter(
        (s) => s.build?.dockerfile === `${name}/Dockerfile`,
      );
      expect(built.length, `${name} built from its Dockerfile`).toBeGreaterThan(0);
    }
  });

  it("runs two gateway replicas that the web proxy reaches under one name", async () => {
    const { services } = await resolved();
    const gateways = Object.entries(services).filter(
      ([, s]) => s.build?.dockerfile === "gateway-service/Dockerfile",
    );
    expect(gateways.map(([name]) => name).sort()).toEqual(["gateway-1", "gateway-2"]);
    for (const [, gateway] of gateways)
      expect(gateway.networks?.default?.aliases).toContain("gateway");
    expect(services.web?.environment?.GATEWAY_ADDRESS).toBe("gateway:3001");
    expect(services.web?.ports?.length).toBe(1);
  });

  it("takes secrets from the env file and refuses to start without them", async () => {
    const { services } = await resolved();
    expect(services["gateway-1"]?.environment?.JWT_SECRET).toBe(
      "a-test-secret-of-at-least-32-characters",
    );
    expect(services["chat-service"]?.environment?.DATABASE_URL).toBe(
      "postgres://postgres:test@postgres:5432/support_chat",
    );
    const withoutSecrets = join(scratch.path, "empty.env");
    await writeFile(withoutSecrets, "LOG_LEVEL=info\n");
    const result = await compose(inRepo("docker-compose.yml"), ["config", "-q"], withoutSecrets);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /set (JWT_SECRET|POSTGRES_PASSWORD|MINIO_ROOT_PASSWORD) in \.env/,
    );
  });

  it("keeps attachments in MinIO on a volume, with the bucket made before the gateways start", async () => {
    const { services, volumes } = await resolved();
    expect(services.minio?.volumes?.some((v) => /^minio-data:\/data(:|$)/.test(v))).toBe(true);
    expect(Object.keys(volumes)).toContain("minio-data");
    expect(services.minio?.healthcheck?.test.length).toBeGreaterThan(0);
    expect(services.minio?.ports, "MinIO is reached only inside the network").toBeUndefined();
    expect(services["minio-bucket"]?.depends_on?.minio?.condition).toBe("service_healthy");
    for (const name of ["gateway-1", "gateway-2"]) {
      const gateway = services[name];
      expect(gateway?.depends_on?.["minio-bucket"]?.condition).toBe(
        "service_completed_successfully",
      );
      expect(gateway?.environment).toMatchObject({
        ATTACHMENT_STORAGE: "s3",
        S3_ENDPOINT: "http://minio:9000",
        S3_FORCE_PATH_STYLE: "true",
        S3_SECRET_ACCESS_KEY: "test-minio",
      });
    }
  });

  it("starts Prometheus and Grafana only with the monitoring profile, provisioned from deploy/", async () => {
    const { services } = await resolved("monitoring");
    const profiled = Object.entries(services).filter(([, s]) => s.profiles !== undefined);
    expect(Object.fromEntries(profiled.map(([name, s]) => [name, s.profiles]))).toEqual({
      prometheus: ["monitoring"],
      grafana: ["monitoring"],
    });
    expect(
      services.prometheus?.volumes?.some((v) => v.includes("deploy/prometheus:/etc/prometheus")),
    ).toBe(true);
    expect(
      services.grafana?.volumes?.some((v) =>
        v.includes("deploy/grafana/provisioning:/etc/grafana/provisioning"),
      ),
    ).toBe(true);
    expect(services.grafana?.volumes?.some((v) => v.includes("deploy/grafana/dashboards:"))).toBe(
      true,
    );
  });

  it("a deliberately broken copy is refused", async () => {
    const original = await readFile(inRepo("docker-compose.yml"), "utf8");
    const cases: Array<[string, string]> = [
      [
        "unknown condition",
        original.replace(
          "chat-service: { condition: service_healthy }",
          "chat-service: { condition: when_healthy }",
        ),
      ],
      [
        "unknown key",
        original.replace("    restart: unless-stopped\n", "    restrat: unless-stopped\n"),
      ],
      ["bad YAML", original.replace("services:\n", "services:\n  - oops\n bad: [\n")],
    ];
    for (const [what, text] of cases) {
      expect(text, what).not.toBe(original);
      const file = join(scratch.path, "docker-compose.yml");
      await writeFile(file, text);
      const result = await compose(file, ["config", "-q"]);
      expect(result.code, `${what} was accepted`).not.toBe(0);
    }
  });
});

describe("deploy/nginx/web.conf.template (the web image's proxy)", () => {
  const template = inRepo("deploy", "nginx", "web.conf.template");

  it("is accepted by nginx -t once rendered", async () => {
    const result = await nginxAccepts(template, { GATEWAY_ADDRESS: "127.0.0.1:3001" });
    expect(result.code, result.stderr).toBe(0);
  });

  it("pins clients to one gateway and upgrades WebSockets on /socket.io/", async () => {
    const text = await readFile(template, "utf8");
    const upstream = /upstream gateways \{([^}]*)\}/.exec(text)?.[1] ?? "";
    expect(upstream).toMatch(/^\s*ip_hash;/m);
    const socketIo = /location \/socket\.io\/ \{([^}]*)\}/.exec(text)?.[1] ?? "";
    expect(socketIo).toContain("proxy_pass http://gateways;");
    expect(socketIo).toContain("proxy_http_version 1.1;");
    expect(socketIo).toContain("proxy_set_header Upgrade $http_upgrade;");
    expect(socketIo).toContain("proxy_set_header Connection $connection_upgrade;");
    expect(/location \/api\/ \{([^}]*)\}/.exec(text)?.[1]).toContain("proxy_pass http://gateways;");
  });

  it("a deliberately broken copy is refused by nginx -t", async () => {
    const broken = join(scratch.path, "broken.conf.template");
    await copyFile(template, broken);
    await writeFile(
      broken,
      (await readFile(broken, "utf8")).replace("proxy_http_version 1.1;", "proxy_http_version 1.1"),
    );
    const result = await nginxAccepts(broken, { GATEWAY_ADDRESS: "127.0.0.1:3001" });
    expect(result.code).not.toBe(0);
  });
});
