import { booleanFromEnv } from "@support-chat/service-kit";
import { z } from "zod";

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/**
 * E-mail: transcripts and offline notices. With neither SMTP_URL nor SMTP_HOST set, both are
 * off: nothing is sent and the widget is told so (`mailFeatures`).
 */
export const MailEnv = z.object({
  /** e.g. smtps://user:pass@smtp.example.com:465 or smtp://localhost:1025 (Mailpit). */
  SMTP_URL: optionalText,
  SMTP_HOST: optionalText,
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535).default(587),
  /** true: TLS from the start (port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: booleanFromEnv.default(false),
  SMTP_USER: optionalText,
  SMTP_PASS: optionalText,
  /** The sender of every e-mail, e.g. "Example Shop Support <support@example.com>". */
  MAIL_FROM: z.string().min(3).default("Support <support@localhost>"),
  /** The storefront's address: links in e-mails lead back to the chat there. */
  PUBLIC_WEB_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
  /** A support reply to a customer away this long (no socket) sends them a notice. */
  OFFLINE_NOTICE_AFTER_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(120),
  /**
   * After a notice, the next one for the same room waits until the customer has come back;
   * with a quiet period (seconds), also until it has passed. 0: only their return counts.
   */
  OFFLINE_NOTICE_QUIET_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(0),
  OFFLINE_NOTICES_ENABLED: booleanFromEnv.default(true),
});
export type MailEnv = z.infer<typeof MailEnv>;

export type SmtpSettings =
  | Readonly<{ url: string }>
  | Readonly<{
      host: string;
      port: number;
      secure: boolean;
      auth?: Readonly<{ user: string; pass: string }>;
    }>;

/** How to reach the SMTP server, or undefined when e-mail is off. */
export const smtpSettingsOf = (env: MailEnv): SmtpSettings | undefined => {
  if (env.SMTP_URL) return { url: env.SMTP_URL };
  if (!env.SMTP_HOST) return undefined;
  const auth =
    env.SMTP_USER === undefined ? {} : { auth: { user: env.SMTP_USER, pass: env.SMTP_PASS ?? "" } };
  return { host: env.SMTP_HOST, port: env.SMTP_PORT, secure: env.SMTP_SECURE, ...auth };
};
