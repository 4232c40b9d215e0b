import type { z } from "zod";
import { describe } from "@support-chat/service-kit";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export const encodeJson = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

/** Parses and validates a message off the wire; `json()` alone would only be a cast. */
export const decodeWith = <S extends z.ZodType>(
  schema: S,
  data: Uint8Array,
): { ok: true; value: z.infer<S> } | { ok: false; problem: string } => {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(data));
  } catch {
    return { ok: false, problem: "not JSON" };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problem: describe(parsed.error) };
};
