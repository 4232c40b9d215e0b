import { createLogger, loadConfig, UnreachableError } from "@support-chat/service-kit";
import { natsUrl, uniqueName } from "@support-chat/test-support";
import { describe, expect, it } from "vitest";
import { ChatServiceConfig, startChatService } from "../src/service.js";

describe("starting the chat service", () => {
  it("says which database it could not reach, where, and how to start it", async () => {
    const config = loadConfig(ChatServiceConfig, {
      DATABASE_URL: "postgres://postgres:secret@127.0.0.1:1/chat",
      NATS_URL: natsUrl(),
      NATS_NAMESPACE: uniqueName("t"),
      CHAT_OPS_PORT: "0",
    });
    const failure = await startChatService(config, createLogger("chat-test", "silent")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(UnreachableError);
    const message = (failure as Error).message;
    expect(message).toContain("PostgreSQL");
    expect(message).toContain("127.0.0.1:1/chat");
    expect(message).toContain("pg_ctlcluster");
    expect(message).not.toContain("secret");
  });

  it("refuses invalid configuration, naming the variable", () => {
    expect(() => loadConfig(ChatServiceConfig, { RELAY_ENABLED: "maybe" })).toThrow(
      /RELAY_ENABLED/,
    );
    expect(() => loadConfig(ChatServiceConfig, { DATABASE_POOL_SIZE: "1" })).toThrow(
      /DATABASE_POOL_SIZE/,
    );
  });

  it("has the documented defaults", () => {
    expect(loadConfig(ChatServiceConfig, {})).toMatchObject({
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/postgres",
      DATABASE_POOL_SIZE: 10,
      CHAT_OPS_PORT: 3002,
      MESSAGE_MAX_LENGTH: 2000,
      RELAY_ENABLED: true,
      RELAY_POLL_INTERVAL_MS: 250,
      RELAY_BATCH_SIZE: 500,
      EVENT_STREAM_MAX_AGE_HOURS: 168,
    });
  });
});
