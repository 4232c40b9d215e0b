import { DomainError, isSupportRole, type Actor } from "@support-chat/contracts";

/** Who may look at a room: its customer, support staff, and our own services. */
export const assertMaySeeRoom = (actor: Actor, room: { id: string; userId: string }): void => {
  const allowed =
    actor.role === "customer"
      ? actor.id === room.userId
      : isSupportRole(actor.role) || actor.role === "system";
  if (!allowed) throw new DomainError("FORBIDDEN", `you may not see room ${room.id}`);
};

/** The support console's lists are for support staff (and services), never for customers. */
export const assertSupportOrSystem = (actor: Actor, what: string): void => {
  if (actor.role === "customer") throw new DomainError("FORBIDDEN", `you may not ${what}`);
};

export const assertSystem = (actor: Actor, what: string): void => {
  if (actor.role !== "system") {
    throw new DomainError("FORBIDDEN", `only services may ${what}`);
  }
};
