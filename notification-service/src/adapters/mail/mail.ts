import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { mailQueries, type MailFeatures, type Subjects } from "@support-chat/contracts";
import { serveOperations, type Logger } from "@support-chat/service-kit";
import type { Redis } from "ioredis";
import { Counter, type Registry } from "prom-client";
import { chatLink } from "../../domain/mail/offline-notice.js";
import { smtpSettingsOf, type MailEnv } from "../../mail-config.js";
import { chatForMail } from "./chat-for-mail.js";
import { startMailConsumer, type MailConsumer } from "./mail-consumer.js";
import { smtpMailer } from "./mailer.js";
import { offlineNotifier } from "./offline-notices.js";
import { redisSentMarkers } from "./sent-markers.js";
import { transcriptSender } from "./transcripts.js";

export type Mail = { features: MailFeatures; stop: () => Promise<void> };

/**
 * E-mail, when SMTP is configured: transcripts and offline notices, each from a durable
 * consumer of its own. It always answers `mailFeatures`, so the widget can say what is off.
 */
export const startMail = async (opts: {
  config: MailEnv & { NATS_REQUEST_TIMEOUT_MS: number };
  nc: NatsConnection;
  subjects: Subjects;
  redis: Redis;
  registry: Registry;
  log: Logger;
}): Promise<Mail> => {
  const { config, nc, subjects, redis } = opts;
  const log = opts.log.child({ component: "mail" });
  const smtp = smtpSettingsOf(config);
  const features: MailFeatures = {
    transcripts: smtp !== undefined,
    offlineNotices: smtp !== undefined && config.OFFLINE_NOTICES_ENABLED,
  };
  const answers: Subscription[] = serveOperations({
    nc,
    operations: mailQueries,
    subjectOf: subjects.mailQuery,
    queue: subjects.queueGroup("notification"),
    handlers: { mailFeatures: async () => features },
    log,
  });
  if (!smtp) {
    log.warn("no SMTP_URL or SMTP_HOST: transcripts by e-mail and offline notices are off");
    return { features, stop: async () => answers.forEach((s) => s.unsubscribe()) };
  }

  const sent = new Counter({
    name: "notification_emails_total",
    help: "E-mails by kind and outcome (sent, retried, duplicate, no_address)",
    labelNames: ["kind", "outcome"] as const,
    registers: [opts.registry],
  });
  const mailer = smtpMailer(smtp, config.MAIL_FROM);
  const markers = redisSentMarkers(redis, `${subjects.namespace}:mail-sent`);
  const chat = chatForMail(nc, subjects, config.NATS_REQUEST_TIMEOUT_MS);
  const chatUrl = chatLink(config.PUBLIC_WEB_URL);
  const consumers: MailConsumer[] = [];
  try {
    consumers.push(
      await startMailConsumer({
        nc,
        subjects,
        durable: subjects.queueGroup("mail-transcripts"),
        eventType: "TranscriptRequested",
        handle: transcriptSender({
          chat,
          mailer,
          markers,
          chatUrl,
          counted: (outcome) => sent.inc({ kind: "transcript", outcome }),
          log,
        }),
        log,
      }),
    );
    if (features.offlineNotices) {
      consumers.push(
        await startMailConsumer({
          nc,
          subjects,
          durable: subjects.queueGroup("mail-offline-notices"),
          eventType: "MessagePosted",
          handle: offlineNotifier({
            chat,
            redis,
            namespace: subjects.namespace,
            mailer,
            markers,
            rules: {
              afterMs: config.OFFLINE_NOTICE_AFTER_SECONDS * 1000,
              quietSeconds: config.OFFLINE_NOTICE_QUIET_SECONDS,
            },
            chatUrl,
            counted: (outcome) => sent.inc({ kind: "offline_notice", outcome }),
            log,
          }),
          log,
        }),
      );
    }
  } catch (e) {
    await Promise.all(consumers.map((c) => c.stop()));
    answers.forEach((s) => s.unsubscribe());
    mailer.close();
    throw e;
  }
  log.info(features, "e-mail on");
  return {
    features,
    stop: async () => {
      answers.forEach((s) => s.unsubscribe());
      await Promise.all(consumers.map((c) => c.stop()));
      mailer.close();
    },
  };
};
