import jwt from "jsonwebtoken";
import { DomainError } from "@support-chat/contracts";
import { principalFromClaims, type Principal } from "../../domain/principal.js";

export type TokenKeys = { secret?: string | undefined; publicKey?: string | undefined };

/** Verifies a raw token and returns who it belongs to, or throws UNAUTHENTICATED/TOKEN_EXPIRED. */
export type TokenVerifier = (token: unknown) => Principal;

/**
 * One algorithm only, chosen by configuration: with a public key RS256, otherwise HS256. The
 * explicit whitelist is what stops `alg: none` and HS/RS confusion (an HS256 token "signed"
 * with our public key as if it were a shared secret).
 */
export const createTokenVerifier = (
  keys: TokenKeys,
  now: () => number = Date.now,
): TokenVerifier => {
  const [key, algorithm] = keys.publicKey
    ? ([keys.publicKey, "RS256"] as const)
    : keys.secret
      ? ([keys.secret, "HS256"] as const)
      : missingKey();
  return (token) => {
    if (typeof token !== "string" || token.length === 0) {
      throw new DomainError("UNAUTHENTICATED", "sign in first: no token was sent");
    }
    let claims: unknown;
    try {
      claims = jwt.verify(token, key, {
        algorithms: [algorithm],
        clockTimestamp: Math.floor(now() / 1000),
      });
    } catch (e) {
      throw refusalOf(e);
    }
    return principalFromClaims(claims);
  };
};

const missingKey = (): never => {
  throw new Error("a JWT secret or public key is required to verify tokens");
};

const refusalOf = (e: unknown): DomainError => {
  if (e instanceof jwt.TokenExpiredError) {
    return new DomainError("TOKEN_EXPIRED", "the token has expired; sign in again");
  }
  const reason = e instanceof Error ? e.message : "unreadable";
  return new DomainError("UNAUTHENTICATED", `the token was refused (${reason})`);
};
