import nodemailer from "nodemailer";
import type { Email } from "../../domain/mail/html.js";
import type { SmtpSettings } from "../../mail-config.js";

export type Mailer = {
  send: (to: string, email: Email) => Promise<void>;
  close: () => void;
};

// Header values never carry line breaks or other control characters.
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

/** Sends over SMTP with nodemailer: a text part and an HTML part in every e-mail. */
export const smtpMailer = (settings: SmtpSettings, from: string): Mailer => {
  const transport =
    "url" in settings
      ? nodemailer.createTransport(settings.url)
      : nodemailer.createTransport({
          host: settings.host,
          port: settings.port,
          secure: settings.secure,
          ...(settings.auth ? { auth: { ...settings.auth } } : {}),
        });
  return {
    send: async (to, email) => {
      await transport.sendMail({
        from,
        to,
        subject: oneLine(email.subject),
        text: email.text,
        html: email.html,
      });
    },
    close: () => transport.close(),
  };
};
