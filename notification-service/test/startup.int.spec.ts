import { UnreachableError, createLogger } from "@support-chat/service-kit";
import { natsUrl, redisUrl, uniqueName } from "@support-chat/test-support";
import { describe, expect, it } from "vitest";
import { NotificationConfig, startNotificationService } from "../src/service.js";

const log = createLogger("test", "silent");

const config = (overrides: Record<string, string>) =>
  NotificationConfig.parse({
    NATS_URL: natsUrl(),
    NATS_NAMESPACE: uniqueName("t"),
    REDIS_URL: redisUrl(),
    NOTIFICATION_OPS_PORT: "0",
    ...overrides,
  });

describe("starting without its dependencies", () => {
  it("says Redis cannot be reached, where it looked and how to start it, without hanging", async () => {
    const started = Date.now();
    const failure = await startNotificationService(
      config({ REDIS_URL: "redis://127.0.0.1:1" }),
      log,
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnreachableError);
    expect((failure as Error).message).toMatch(
      /cannot reach Redis at redis:\/\/127\.0\.0\.1:1 .*redis-server/,
    );
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it("says NATS cannot be reached, where it looked and how to start it, without hanging", async () => {
    const started = Date.now();
    const failure = await startNotificationService(
      config({ NATS_URL: "nats://127.0.0.1:1" }),
      log,
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnreachableError);
    expect((failure as Error).message).toMatch(/cannot reach NATS at nats:\/\/127\.0\.0\.1:1 /);
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
