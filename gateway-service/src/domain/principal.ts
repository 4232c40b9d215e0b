import {
  DomainError,
  isSupportRole,
  TokenClaims,
  type Actor,
  type Role,
} from "@support-chat/contracts";
import { verifiedEmailOf } from "./verified-email.js";

/**
 * The signed-in person, taken from a verified token and nothing else. `email`: the address
 * the storefront vouches for, when its token carries one (see verified-email.ts).
 */
export type Principal = Readonly<{ id: string; name: string; role: Role; email?: string }>;

/** Who the services hear about: the principal without anything personal beyond the name. */
export const actorOf = (principal: Principal): Actor => ({
  id: principal.id,
  name: principal.name,
  role: principal.role,
});

/**
 * Turns verified token claims into the principal. A token that verifies but lacks `sub`,
 * `name`, a known `role` or `exp` is as good as no token.
 */
export const principalFromClaims = (claims: unknown): Principal => {
  const parsed = TokenClaims.safeParse(claims);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.map(String).join(".")))];
    throw new DomainError(
      "UNAUTHENTICATED",
      `token claims are missing or invalid: ${fields.join(", ") || "payload"}`,
    );
  }
  const email = verifiedEmailOf(claims);
  return {
    id: parsed.data.sub,
    name: parsed.data.name,
    role: parsed.data.role,
    ...(email === undefined ? {} : { email }),
  };
};

/** `Authorization: Bearer <jwt>`; anything else is no credential at all. */
export const bearerTokenOf = (header: string | undefined): string => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match?.[1]) {
    throw new DomainError("UNAUTHENTICATED", "sign in first: send Authorization: Bearer <token>");
  }
  return match[1];
};

/** Support routes are for agents, managers and admins; the chat service checks the rest. */
export const requireSupportRole = (principal: Principal): void => {
  if (!isSupportRole(principal.role)) {
    throw new DomainError("FORBIDDEN", "only support agents may use this");
  }
};
