import { z } from "zod";

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text that Postgres can store and JSON carries unchanged both ways: no NUL character (Postgres
 * text refuses it) and no unpaired UTF-16 surrogate (not valid Unicode; jsonb refuses it).
 */
export const isStorableText = (text: string): boolean =>
  !text.includes("\u0000") && !UNPAIRED_SURROGATE.test(text);
export const NOT_STORABLE = "contains a NUL character or an unpaired surrogate";

/** Ids minted by this system (rooms, messages, events) are UUIDs. */
export const Uuid = z.uuid();

/**
 * User ids come from the storefront's tokens (`sub`), so they are opaque strings, not
 * necessarily UUIDs; bounded so nobody can smuggle a megabyte through an id.
 */
export const UserId = z.string().trim().min(1).max(128).refine(isStorableText, NOT_STORABLE);

export const DisplayName = z.string().trim().min(1).max(120).refine(isStorableText, NOT_STORABLE);

export const Role = z.enum(["customer", "agent", "manager", "admin"]);
export type Role = z.infer<typeof Role>;

export const SUPPORT_ROLES = ["agent", "manager", "admin"] as const satisfies readonly Role[];
export const isSupportRole = (role: Role | "system"): boolean =>
  role === "agent" || role === "manager" || role === "admin";
export const isManagerRole = (role: Role | "system"): boolean =>
  role === "manager" || role === "admin";

/** Who did something: a person from a verified token, or one of our own services. */
export const Actor = z.object({
  id: UserId,
  name: DisplayName,
  role: z.union([Role, z.literal("system")]),
});
export type Actor = z.infer<typeof Actor>;

export const IsoDateTime = z.iso.datetime({ offset: true });

export const RoomStatus = z.enum(["waiting", "open", "closed"]);
export type RoomStatus = z.infer<typeof RoomStatus>;

/** Whose side of a room a reader is on: unread counts and read receipts are per side. */
export const Side = z.enum(["customer", "support"]);
export type Side = z.infer<typeof Side>;
export const sideOf = (role: Role | "system"): Side =>
  role === "customer" ? "customer" : "support";

/** An idempotency key chosen by the sending client; a retry with the same key is the same message. */
export const ClientMessageId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, "clientMessageId may contain only letters, digits and _.:-");

export const Seq = z.number().int().nonnegative();
