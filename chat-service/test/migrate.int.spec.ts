import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@support-chat/test-support";
import { runMigrateEntry } from "@support-chat/test-support/migrate-entry";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The standalone migrate entry point, run as its own process the way the init container does. */
const serviceDir = fileURLToPath(new URL("..", import.meta.url));

const migrate = (databaseUrl: string) => runMigrateEntry(serviceDir, databaseUrl);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("chat_migrate_");
});
afterAll(async () => {
  await database?.drop();
});

describe("chat-service migrate", () => {
  it("applies the migrations to an empty database and exits 0, and again finds nothing to do", async () => {
    const first = await migrate(database.url);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("chat-service migrations applied");

    const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    try {
      const tables = await sql<{ name: string }[]>`
        select table_name as name from information_schema.tables
        where table_schema = 'public' order by table_name`;
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(["chat_messages", "chat_rooms", "events", "relay_checkpoint"]),
      );
      const applied = async () =>
        (await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`)[0]
          ?.n;
      const before = await applied();
      expect(before).toBeGreaterThan(0);

      const second = await migrate(database.url);
      expect(second.code, second.stderr).toBe(0);
      expect(await applied()).toBe(before);
    } finally {
      await sql.end();
    }
  });

  it("exits 1 with one clear line when Postgres cannot be reached", async () => {
    const result = await migrate("postgres://postgres:secret@127.0.0.1:1/chat");
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^chat-migrate: .*PostgreSQL.*127\.0\.0\.1:1\/chat/);
    expect(result.stderr).not.toContain("secret");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
