import { createHmac, createSign, generateKeyPairSync } from "node:crypto";

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

export type Claims = Record<string, unknown>;

/** Good claims for a customer, valid for an hour; tests take away or change what they probe. */
export const claimsFor = (sub: string, role = "customer", name = "Token Tester"): Claims => ({
  sub,
  name,
  role,
  iat: now(),
  exp: now() + 3600,
});

const encode = (header: Claims, claims: Claims) =>
  `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;

/**
 * Tokens built by hand rather than with a JWT library, so they can be wrong in exactly the
 * ways an attacker would make them: any algorithm, any key, no signature at all.
 */
export const forge = {
  hmac: (claims: Claims, secret: string | Buffer, alg: "HS256" | "HS384" | "HS512" = "HS256") => {
    const body = encode({ alg, typ: "JWT" }, claims);
    const hash = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }[alg];
    return `${body}.${createHmac(hash, secret).update(body).digest("base64url")}`;
  },
  rs256: (claims: Claims, privateKeyPem: string) => {
    const body = encode({ alg: "RS256", typ: "JWT" }, claims);
    return `${body}.${createSign("RSA-SHA256").update(body).sign(privateKeyPem, "base64url")}`;
  },
  /** `alg: none` (in any spelling): no signature, trailing dot or not. */
  unsigned: (claims: Claims, alg = "none", trailingDot = true) =>
    `${encode({ alg, typ: "JWT" }, claims)}${trailingDot ? "." : ""}`,
  /** A validly signed token whose claims were then changed (signature no longer matches). */
  tampered: (token: string, claims: Claims) => {
    const [header, , signature] = token.split(".");
    return `${header}.${b64url(JSON.stringify(claims))}.${signature}`;
  },
};

export const rsaKeys = () =>
  generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });

export const past = () => now() - 60;
export const future = () => now() + 3600;
