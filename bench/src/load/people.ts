import { randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";
import type { Role } from "@support-chat/contracts";
import type { Person, RoomPlan } from "./protocol.js";

/** A token as the storefront would sign it (HS256 with the shared secret). */
export const personWithToken = (secret: string, role: Role, id: string, name: string): Person => ({
  id,
  name,
  token: jwt.sign({ sub: id, name, role }, secret, { algorithm: "HS256", expiresIn: "2h" }),
});

/**
 * `rooms` conversations, each with its own customer; agents serve `roomsPerAgent` each. Ids
 * carry a per-run tag, so every run opens rooms of its own.
 */
export const planConversations = (
  secret: string,
  rooms: number,
  roomsPerAgent: number,
): RoomPlan[] => {
  const run = randomBytes(3).toString("hex");
  const agents = Array.from({ length: Math.ceil(rooms / roomsPerAgent) }, (_, i) =>
    personWithToken(secret, "agent", `bench-${run}-agent-${i}`, `Agent ${i}`),
  );
  return Array.from({ length: rooms }, (_, i) => ({
    customer: personWithToken(secret, "customer", `bench-${run}-customer-${i}`, `Customer ${i}`),
    agent: agents[i % agents.length]!,
  }));
};
