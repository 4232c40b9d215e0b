import jwt from "jsonwebtoken";
import type { z } from "zod";
import type { DevTokenBody, DevTokenResponse } from "@support-chat/contracts";
import { devUserIdOf } from "../../domain/dev-identity.js";

export type DevTokenIssuer = (
  request: z.infer<typeof DevTokenBody>,
) => z.infer<typeof DevTokenResponse>;

/**
 * Mints HS256 tokens for local use (AUTH_DEV_LOGIN=true). In production the storefront issues
 * tokens and this is never mounted.
 */
export const createDevTokenIssuer = (opts: {
  secret: string;
  ttlSeconds: number;
  now?: () => number;
}): DevTokenIssuer => {
  const now = opts.now ?? Date.now;
  return ({ name, role, userId }) => {
    const user = { id: userId ?? devUserIdOf(role, name), name, role };
    const issuedAt = Math.floor(now() / 1000);
    const exp = issuedAt + opts.ttlSeconds;
    const token = jwt.sign({ sub: user.id, name, role, iat: issuedAt, exp }, opts.secret, {
      algorithm: "HS256",
    });
    return { token, user, expiresAt: new Date(exp * 1000).toISOString() };
  };
};
