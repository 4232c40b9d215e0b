import { EmailAddress } from "@support-chat/contracts";

/**
 * The customer's address from the storefront's token: the `email` claim, unless the token says
 * it is not verified (`email_verified: false`, as OpenID Connect tokens do). A missing or
 * malformed address is simply absent; it never makes the token itself invalid.
 */
export const verifiedEmailOf = (claims: unknown): string | undefined => {
  if (typeof claims !== "object" || claims === null) return undefined;
  const { email, email_verified: verified } = claims as Record<string, unknown>;
  if (verified === false) return undefined;
  const parsed = EmailAddress.safeParse(email);
  return parsed.success ? parsed.data : undefined;
};
