import { createHash } from "node:crypto";
import type { Role } from "@support-chat/contracts";

const slugOf = (name: string): string =>
  name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");

/**
 * The user id a dev token gets when none is asked for: readable, and the same for the same
 * (role, name) every time, so reloading the demo keeps the same conversation.
 */
export const devUserIdOf = (role: Role, name: string): string => {
  const trimmed = name.trim();
  const hash = createHash("sha256").update(`${role}\n${trimmed}`).digest("hex").slice(0, 8);
  const slug = slugOf(trimmed);
  return slug ? `${role}-${slug}-${hash}` : `${role}-${hash}`;
};
