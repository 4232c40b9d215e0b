import { DomainError, isSupportRole } from "@support-chat/contracts";
import type { Principal } from "./principal.js";

/**
 * The seed's payloads carry `senderId`, `userId` and `isFromSupport`. We accept them for
 * compatibility, but identity comes only from the token: a value that disagrees is refused,
 * never trusted and never silently corrected.
 */
export type ClaimedIdentity = {
  senderId?: string | undefined;
  userId?: string | undefined;
  isFromSupport?: boolean | undefined;
};

export const assertClaimedIdentity = (principal: Principal, claimed: ClaimedIdentity): void => {
  for (const field of ["senderId", "userId"] as const) {
    const value = claimed[field];
    if (value !== undefined && value !== principal.id) {
      throw new DomainError(
        "IDENTITY_MISMATCH",
        `${field} "${value}" is not the signed-in user; leave it out or send your own id`,
      );
    }
  }
  const fromSupport = isSupportRole(principal.role);
  if (claimed.isFromSupport !== undefined && claimed.isFromSupport !== fromSupport) {
    throw new DomainError(
      "IDENTITY_MISMATCH",
      `isFromSupport=${claimed.isFromSupport} does not match your role (${principal.role})`,
    );
  }
};
