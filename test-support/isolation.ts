import { randomBytes } from "node:crypto";
import postgres from "postgres";

/**
 * Every integration test gets its own Postgres database and its own NATS namespace (subjects
 * and JetStream stream), so test files run in parallel and never see each other's data.
 */
export const uniqueName = (prefix: string): string =>
  `${prefix}${randomBytes(5).toString("hex")}`.toLowerCase();

export const natsUrl = (): string => process.env.NATS_URL ?? "nats://127.0.0.1:4222";
export const redisUrl = (): string => process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const adminUrl = (): string =>
  process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type TestDatabase = { url: string; name: string; drop: () => Promise<void> };

export const createTestDatabase = async (prefix = "t_"): Promise<TestDatabase> => {
  const name = uniqueName(prefix);
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const a = postgres(adminUrl(), { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
};
