import { z } from "zod";
import { ATTACHMENT_DEFAULTS, LIMITS } from "@support-chat/contracts";
import { BaseEnv, booleanFromEnv } from "@support-chat/service-kit";

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

/** Operators often put a PEM on one line with literal "\n"; accept both forms. */
const pem = optionalText.transform((v) => v?.replace(/\\n/g, "\n"));

const origins = z
  .string()
  .default("http://localhost:3000")
  .transform((v) =>
    v
      .split(",")
      .map((o) => o.trim())
      .filter((o) => o.length > 0),
  )
  .pipe(z.array(z.string().min(1)).min(1, "name at least one origin, or * for any"));

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Where attachment bytes are kept and what is accepted (see docs/operations.md). */
const AttachmentEnv = z.object({
  ATTACHMENT_STORAGE: z.enum(["filesystem", "s3"]).default("filesystem"),
  /** The filesystem store's directory (one machine only; shared by every local gateway). */
  ATTACHMENT_DIR: z.string().min(1).default("./data/attachments"),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024 * 1024 * 1024)
    .default(ATTACHMENT_DEFAULTS.maxBytes),
  ATTACHMENT_TYPES: z
    .string()
    .default(ATTACHMENT_DEFAULTS.types.join(","))
    .transform((v) =>
      v
        .split(",")
        .map((t) => t.trim().toLowerCase())
        .filter((t) => t.length > 0),
    )
    .pipe(
      z
        .array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, "a media type such as image/png"))
        .min(1, "name at least one media type"),
    ),
  S3_BUCKET: optionalText,
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** For MinIO and other S3-compatible servers, e.g. http://minio:9000; empty for AWS. */
  S3_ENDPOINT: optionalText,
  S3_FORCE_PATH_STYLE: booleanFromEnv.default(false),
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_KEY_PREFIX: z.string().default("attachments/"),
});

export const GatewayEnv = BaseEnv.extend({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  /** HS256 signing secret shared with the storefront that issues the tokens. */
  JWT_SECRET: optionalText.pipe(
    z.string().min(32, "JWT_SECRET must be at least 32 characters").optional(),
  ),
  /** RS256 public key (PEM); when set, only RS256 tokens are accepted. */
  JWT_PUBLIC_KEY: pem,
  /** Mints tokens at POST /api/auth/dev-token. For local use only, never in production. */
  AUTH_DEV_LOGIN: booleanFromEnv.default(false),
  DEV_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(43_200),
  REDIS_URL: z.string().min(1).default("redis://127.0.0.1:6379"),
  /** Pub/sub key prefix of the socket.io Redis adapter; the notification service's emitter must use the same. */
  SOCKET_IO_REDIS_KEY: z.string().min(1).default("socket.io"),
  CORS_ORIGIN: origins,
  MESSAGE_MAX_LENGTH: positiveInt(LIMITS.messageMaxLength),
  RATE_LIMIT_MESSAGES_PER_SECOND: positiveInt(10),
  RATE_LIMIT_MESSAGE_BURST: z.coerce.number().int().min(0).default(5),
  RATE_LIMIT_TYPING_PER_SECOND: positiveInt(5),
  HTTP_BODY_LIMIT: z
    .string()
    .regex(/^\d+\s*(b|kb|mb)?$/i, 'a size such as "64kb", "1mb" or "65536"')
    .default("64kb"),
  SOCKET_MAX_PAYLOAD_BYTES: positiveInt(64 * 1024),
  /** How often the agents connected here are announced to the assignment service. */
  PRESENCE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  ...AttachmentEnv.shape,
}).superRefine((env, ctx) => {
  if (env.JWT_SECRET === undefined && env.JWT_PUBLIC_KEY === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["JWT_SECRET"],
      message:
        "set JWT_SECRET (HS256, at least 32 characters) or JWT_PUBLIC_KEY (RS256 PEM) so tokens can be verified",
    });
  }
  if (env.AUTH_DEV_LOGIN && env.NODE_ENV === "production") {
    ctx.addIssue({
      code: "custom",
      path: ["AUTH_DEV_LOGIN"],
      message:
        "dev tokens let anyone sign in with any role; they are refused with NODE_ENV=production",
    });
  }
  if (env.ATTACHMENT_STORAGE === "s3" && env.S3_BUCKET === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["S3_BUCKET"],
      message: "ATTACHMENT_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT for MinIO)",
    });
  }
  if (env.AUTH_DEV_LOGIN && env.JWT_PUBLIC_KEY !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["AUTH_DEV_LOGIN"],
      message:
        "dev tokens are signed with JWT_SECRET (HS256) and cannot be used with JWT_PUBLIC_KEY; unset one of them",
    });
  }
});
export type GatewayConfig = z.infer<typeof GatewayEnv>;
