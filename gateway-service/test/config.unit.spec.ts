import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "@support-chat/service-kit";
import { GatewayEnv } from "../src/config.js";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";

const configError = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(GatewayEnv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error("expected a configuration error");
};

describe("gateway configuration", () => {
  it("has the documented defaults", () => {
    const config = loadConfig(GatewayEnv, { JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      GATEWAY_PORT: 3001,
      AUTH_DEV_LOGIN: false,
      DEV_TOKEN_TTL_SECONDS: 43_200,
      REDIS_URL: "redis://127.0.0.1:6379",
      SOCKET_IO_REDIS_KEY: "socket.io",
      CORS_ORIGIN: ["http://localhost:3000"],
      MESSAGE_MAX_LENGTH: 2000,
      RATE_LIMIT_MESSAGES_PER_SECOND: 10,
      RATE_LIMIT_MESSAGE_BURST: 5,
      RATE_LIMIT_TYPING_PER_SECOND: 5,
      HTTP_BODY_LIMIT: "64kb",
      SOCKET_MAX_PAYLOAD_BYTES: 65_536,
    });
    expect(config.JWT_PUBLIC_KEY).toBeUndefined();
  });

  it("refuses to start without a secret or a public key, naming both", () => {
    const message = configError({});
    expect(message).toContain("JWT_SECRET");
    expect(message).toContain("JWT_PUBLIC_KEY");
    expect(configError({ JWT_SECRET: "", JWT_PUBLIC_KEY: "" })).toContain("JWT_SECRET");
  });

  it("refuses a secret shorter than 32 characters", () => {
    expect(configError({ JWT_SECRET: "short" })).toContain("at least 32 characters");
  });

  it("accepts a public key alone and turns escaped newlines into real ones", () => {
    const config = loadConfig(GatewayEnv, {
      JWT_PUBLIC_KEY: "-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----",
    });
    expect(config.JWT_PUBLIC_KEY).toBe("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----");
  });

  it("refuses dev sign-in in production, where anyone could mint an admin token", () => {
    expect(
      configError({ JWT_SECRET: SECRET, AUTH_DEV_LOGIN: "true", NODE_ENV: "production" }),
    ).toMatch(/AUTH_DEV_LOGIN.*refused with NODE_ENV=production/);
    expect(
      loadConfig(GatewayEnv, { JWT_SECRET: SECRET, NODE_ENV: "production" }).AUTH_DEV_LOGIN,
    ).toBe(false);
  });

  it("refuses dev sign-in together with RS256, which it cannot sign", () => {
    expect(
      configError({ JWT_SECRET: SECRET, JWT_PUBLIC_KEY: "pem", AUTH_DEV_LOGIN: "true" }),
    ).toContain("AUTH_DEV_LOGIN");
  });

  it("reads a comma list of CORS origins", () => {
    const config = loadConfig(GatewayEnv, {
      JWT_SECRET: SECRET,
      CORS_ORIGIN: "http://a.test, https://b.test",
    });
    expect(config.CORS_ORIGIN).toEqual(["http://a.test", "https://b.test"]);
  });

  it("refuses a body limit it cannot read", () => {
    expect(configError({ JWT_SECRET: SECRET, HTTP_BODY_LIMIT: "lots" })).toContain(
      "HTTP_BODY_LIMIT",
    );
  });
});
