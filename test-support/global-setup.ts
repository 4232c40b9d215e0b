import { execFileSync } from "node:child_process";

/**
 * Integration tests talk to real Postgres, NATS and Redis. Their URLs come from the environment
 * (DATABASE_URL, NATS_URL, REDIS_URL). Where one is missing and a Docker engine answers,
 * Testcontainers starts it; otherwise the local default is used (what CI on our machines has).
 */
export default async function setup(): Promise<(() => Promise<void>) | void> {
  const missing = ["DATABASE_URL", "NATS_URL", "REDIS_URL"].filter((v) => !process.env[v]);
  if (missing.length === 0 || !dockerAvailable()) {
    process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
    process.env.NATS_URL ??= "nats://127.0.0.1:4222";
    process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
    return;
  }
  const { GenericContainer, Wait } = await import("testcontainers");
  const started: Array<{ stop: () => Promise<unknown> }> = [];
  if (!process.env.DATABASE_URL) {
    const pg = await new GenericContainer("postgres:16-alpine")
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: "trust" })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    started.push(pg);
    process.env.DATABASE_URL = `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`;
  }
  if (!process.env.NATS_URL) {
    const nats = await new GenericContainer("nats:2.10-alpine")
      .withCommand(["-js"])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start();
    started.push(nats);
    process.env.NATS_URL = `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`;
  }
  if (!process.env.REDIS_URL) {
    const redis = await new GenericContainer("redis:7-alpine").withExposedPorts(6379).start();
    started.push(redis);
    process.env.REDIS_URL = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  }
  return async () => {
    await Promise.all(started.map((c) => c.stop()));
  };
}

const dockerAvailable = (): boolean => {
  try {
    execFileSync("docker", ["info"], { stdio: "ignore", timeout: 5000 });
    return true;
  } catch {
    return false;
  }
};
