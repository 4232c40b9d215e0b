import { z } from "zod";

/** Variables every service reads. */
export const BaseEnv = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NATS_URL: z.string().min(1).default("nats://127.0.0.1:4222"),
  NATS_NAMESPACE: z.string().default("chat"),
  /** How long a service waits for another to answer a NATS request. */
  NATS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});

export const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Reads and validates configuration once at start. A bad or missing variable stops the
 * service with one line per problem, naming the variable, instead of failing later.
 */
export const loadConfig = <S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> => {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const name = i.path.join(".") || "(environment)";
    const value = typeof i.path[0] === "string" ? env[i.path[0]] : undefined;
    return `  ${name}=${value === undefined ? "(unset)" : JSON.stringify(value)}: ${i.message}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join("\n")}\nSee .env.example.`);
};
