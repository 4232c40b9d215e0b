import type { z } from "zod";
import { DomainError, UserId, Uuid } from "@support-chat/contracts";
import { describe } from "@support-chat/service-kit";

/** Validates what a client sent; a refusal names each field and what is wrong with it. */
export const parseInput = <S extends z.ZodType>(schema: S, value: unknown, what: string) => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new DomainError("VALIDATION_FAILED", `invalid ${what}: ${describe(parsed.error)}`);
  }
  return parsed.data as z.infer<S>;
};

export const roomIdOf = (params: Record<string, string | string[] | undefined>): string => {
  const parsed = Uuid.safeParse(params["id"]);
  if (!parsed.success) {
    throw new DomainError("VALIDATION_FAILED", "the room id in the path must be a UUID");
  }
  return parsed.data;
};

export const agentIdOf = (params: Record<string, string | string[] | undefined>): string => {
  const parsed = UserId.safeParse(params["agentId"]);
  if (!parsed.success) {
    throw new DomainError(
      "VALIDATION_FAILED",
      "the agent id in the path must be 1 to 128 characters",
    );
  }
  return parsed.data;
};
