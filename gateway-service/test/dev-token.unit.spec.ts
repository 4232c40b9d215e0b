import { describe, expect, it } from "vitest";
import { DevTokenResponse, UserId } from "@support-chat/contracts";
import { createDevTokenIssuer } from "../src/adapters/auth/dev-token-issuer.js";
import { createTokenVerifier } from "../src/adapters/auth/token-verifier.js";
import { devUserIdOf } from "../src/domain/dev-identity.js";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const NOW_MS = Date.UTC(2030, 0, 1, 12);

describe("default dev user ids", () => {
  it("are the same for the same role and name, so a reload keeps the identity", () => {
    expect(devUserIdOf("customer", "Ann Lee")).toBe(devUserIdOf("customer", "Ann Lee"));
    expect(devUserIdOf("customer", "Ann Lee")).toBe(devUserIdOf("customer", "  Ann Lee "));
  });

  it("differ between roles and between names", () => {
    expect(devUserIdOf("customer", "Ann")).not.toBe(devUserIdOf("agent", "Ann"));
    expect(devUserIdOf("customer", "Ann")).not.toBe(devUserIdOf("customer", "Anna"));
    expect(devUserIdOf("customer", "ann")).not.toBe(devUserIdOf("customer", "Ann"));
  });

  it("are readable and valid user ids even for names without ASCII letters", () => {
    expect(devUserIdOf("agent", "Zoë O'Brien")).toMatch(/^agent-zoe-o-brien-[0-9a-f]{8}$/);
    expect(devUserIdOf("customer", "李雷")).toMatch(/^customer-[0-9a-f]{8}$/);
    expect(UserId.safeParse(devUserIdOf("admin", "x".repeat(120))).success).toBe(true);
  });
});

describe("dev token issuer", () => {
  const issue = createDevTokenIssuer({ secret: SECRET, ttlSeconds: 3600, now: () => NOW_MS });
  const verify = createTokenVerifier({ secret: SECRET }, () => NOW_MS);

  it("mints a token the gateway itself accepts, for the default id", () => {
    const response = issue({ name: "Ann", role: "customer" });
    expect(DevTokenResponse.safeParse(response).success).toBe(true);
    expect(response.user).toEqual({
      id: devUserIdOf("customer", "Ann"),
      name: "Ann",
      role: "customer",
    });
    expect(verify(response.token)).toEqual(response.user);
  });

  it("uses an explicit user id and expires after the configured lifetime", () => {
    const response = issue({ name: "Bo", role: "agent", userId: "agent-7" });
    expect(verify(response.token)).toEqual({ id: "agent-7", name: "Bo", role: "agent" });
    expect(response.expiresAt).toBe(new Date(NOW_MS + 3600_000).toISOString());
    const later = createTokenVerifier({ secret: SECRET }, () => NOW_MS + 3601_000);
    expect(() => later(response.token)).toThrow(/expired/);
  });
});
