import { createHmac, generateKeyPairSync } from "node:crypto";
import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { DomainError } from "@support-chat/contracts";
import { createTokenVerifier } from "../src/adapters/auth/token-verifier.js";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const NOW_MS = Date.UTC(2030, 0, 1, 12);
const nowSeconds = Math.floor(NOW_MS / 1000);
const claims = { sub: "cust-1", name: "Ann", role: "customer", exp: nowSeconds + 3600 };

const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
});

const hsVerifier = createTokenVerifier({ secret: SECRET }, () => NOW_MS);
const rsVerifier = createTokenVerifier({ publicKey, secret: SECRET }, () => NOW_MS);

const refusal = (verify: () => unknown): DomainError => {
  try {
    verify();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected the token to be refused");
};

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("token verification", () => {
  it("accepts a valid HS256 token and returns the principal from its claims", () => {
    const token = jwt.sign(claims, SECRET, { algorithm: "HS256" });
    expect(hsVerifier(token)).toEqual({ id: "cust-1", name: "Ann", role: "customer" });
  });

  it("accepts a valid RS256 token when a public key is configured", () => {
    const token = jwt.sign({ ...claims, role: "agent" }, privateKey, { algorithm: "RS256" });
    expect(rsVerifier(token)).toEqual({ id: "cust-1", name: "Ann", role: "agent" });
  });

  it.each([undefined, "", 42, null])("refuses a missing token (%s) as UNAUTHENTICATED", (t) => {
    expect(refusal(() => hsVerifier(t)).code).toBe("UNAUTHENTICATED");
  });

  it("refuses a malformed token", () => {
    expect(refusal(() => hsVerifier("not.a.jwt")).code).toBe("UNAUTHENTICATED");
    expect(refusal(() => hsVerifier("garbage")).code).toBe("UNAUTHENTICATED");
  });

  it("refuses an expired token as TOKEN_EXPIRED", () => {
    const token = jwt.sign({ ...claims, exp: nowSeconds - 1 }, SECRET, { algorithm: "HS256" });
    expect(refusal(() => hsVerifier(token)).code).toBe("TOKEN_EXPIRED");
  });

  it("refuses an expired token with a wrong signature as UNAUTHENTICATED, not expired", () => {
    const token = jwt.sign({ ...claims, exp: nowSeconds - 1 }, `${SECRET}x`, {
      algorithm: "HS256",
    });
    expect(refusal(() => hsVerifier(token)).code).toBe("UNAUTHENTICATED");
  });

  it("refuses a token signed with another secret", () => {
    const token = jwt.sign(claims, "another-secret-that-is-also-long-enough-000", {
      algorithm: "HS256",
    });
    expect(refusal(() => hsVerifier(token)).code).toBe("UNAUTHENTICATED");
  });

  it("refuses an unsigned token (alg: none)", () => {
    const token = `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims)}.`;
    expect(refusal(() => hsVerifier(token)).code).toBe("UNAUTHENTICATED");
    expect(refusal(() => rsVerifier(token)).code).toBe("UNAUTHENTICATED");
  });

  it("refuses an HS256 token forged with the public key as the secret in RS256 mode", () => {
    const header = base64url({ alg: "HS256", typ: "JWT" });
    const body = base64url(claims);
    const signature = createHmac("sha256", publicKey)
      .update(`${header}.${body}`)
      .digest("base64url");
    expect(refusal(() => rsVerifier(`${header}.${body}.${signature}`)).code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("refuses an RS256 token when only HS256 is configured", () => {
    const token = jwt.sign(claims, privateKey, { algorithm: "RS256" });
    expect(refusal(() => hsVerifier(token)).code).toBe("UNAUTHENTICATED");
  });

  it("refuses a token whose role is not one of ours", () => {
    const token = jwt.sign({ ...claims, role: "superuser" }, SECRET, { algorithm: "HS256" });
    const error = refusal(() => hsVerifier(token));
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error.message).toContain("role");
  });

  it.each(["sub", "name", "role", "exp"])("refuses a token without %s", (claim) => {
    const { [claim as keyof typeof claims]: _omitted, ...rest } = claims;
    const token = jwt.sign(rest, SECRET, { algorithm: "HS256" });
    const error = refusal(() => hsVerifier(token));
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error.message).toContain(claim);
  });
});
