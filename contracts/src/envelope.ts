import { z } from "zod";
import { ErrorBody } from "./errors.js";

/**
 * The one reply shape: socket acks, NATS replies. `{status: "OK", data}` or
 * `{status: "ERROR", error: {code, message}}`.
 */
export const okReply = <T extends z.ZodType>(data: T) =>
  z.object({ status: z.literal("OK"), data });
export const ErrorReply = z.object({ status: z.literal("ERROR"), error: ErrorBody });
export type ErrorReply = z.infer<typeof ErrorReply>;

export const replyOf = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion("status", [okReply(data), ErrorReply]);

export type Reply<T> = { status: "OK"; data: T } | ErrorReply;

export const ok = <T>(data: T): Reply<T> => ({ status: "OK", data });
export const fail = (error: ErrorBody): ErrorReply => ({ status: "ERROR", error });
