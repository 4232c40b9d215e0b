#!/usr/bin/env node
// Starts every service of the product on this machine, each as its own process, with their
// output prefixed by name. Configuration: the environment, then `.env` if present, then the
// local-development defaults below. `--source` runs the TypeScript sources (no build needed).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const fromSource = process.argv.includes("--source");

// Only for a developer's machine: a fixed secret and the dev sign-in endpoint. Production
// configuration comes from the environment (see docs and .env.example) and never uses these.
const localDefaults = {
  NODE_ENV: "development",
  JWT_SECRET: "local-development-secret-not-for-production-0123456789",
  AUTH_DEV_LOGIN: "true",
  // Webhooks to a receiver on this machine (http://localhost:...).
  WEBHOOK_ALLOW_HTTP: "true",
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
};

const parseEnvFile = (path) =>
  Object.fromEntries(
    readFileSync(path, "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#") && line.includes("="))
      .map((line) => {
        const at = line.indexOf("=");
        return [
          line.slice(0, at).trim(),
          line
            .slice(at + 1)
            .trim()
            .replace(/^"(.*)"$/, "$1"),
        ];
      }),
  );

const envFile = join(root, ".env");
const env = {
  ...localDefaults,
  ...(existsSync(envFile) ? parseEnvFile(envFile) : {}),
  ...process.env,
};

const services = ["chat-service", "assignment-service", "notification-service", "gateway-service"]
  .filter((name) => existsSync(join(root, name, "src", "main.ts")))
  .filter(
    (name) => readFileSync(join(root, name, "src", "main.ts"), "utf8").trim() !== "export {};",
  );

const colors = [36, 35, 33, 32, 34];
const children = [];
let stopping = false;

const prefixLines = (name, color, stream, out) => {
  let buffer = "";
  stream.on("data", (chunk) => {
    buffer += chunk;
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) out.write(`\x1b[${color}m${name.padEnd(20)}\x1b[0m ${line}\n`);
  });
};

const stopAll = (code) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 12_000).unref();
  Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once("exit", r)))),
  ).then(() => process.exit(code));
};

const gatewayPort = env.GATEWAY_PORT ?? "3001";
const webPort = env.WEB_PORT ?? "3000";
// The web app is served by Vite (preview of the build, or the dev server from source) with
// /api and /socket.io proxied to the gateway, so the browser sees one origin.
const web = {
  name: "web",
  cwd: join(root, "web"),
  args: [join(root, "node_modules", "vite", "bin", "vite.js"), ...(fromSource ? [] : ["preview"])],
  env: {
    ...env,
    GATEWAY_URL: env.GATEWAY_URL ?? `http://localhost:${gatewayPort}`,
    WEB_PORT: webPort,
  },
};
const processes = [
  ...services.map((name) => ({
    name,
    cwd: join(root, name),
    args: fromSource
      ? ["--conditions=source", "--import", "tsx", "src/main.ts"]
      : ["dist/src/main.js"],
    env,
  })),
  web,
];

processes.forEach(({ name, cwd, args, env }, i) => {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  prefixLines(name, colors[i % colors.length], child.stdout, process.stdout);
  prefixLines(name, colors[i % colors.length], child.stderr, process.stderr);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${name} exited (${signal ?? code}); stopping the others\n`);
      stopAll(code || 1);
    }
  });
  children.push(child);
});

process.stdout.write(
  `Starting ${processes.map((p) => p.name).join(", ")}.\n` +
    `Storefront with the chat widget: http://localhost:${webPort}/  Support console: http://localhost:${webPort}/admin/support  Sign in: http://localhost:${webPort}/login\n` +
    `Gateway: http://localhost:${gatewayPort} (REST /api, socket.io namespace /chat)\n` +
    (env.AUTH_DEV_LOGIN === "true"
      ? "Dev sign-in is ON (POST /api/auth/dev-token); never enable it in production.\n"
      : ""),
);
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
