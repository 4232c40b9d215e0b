import type { NatsConnection } from "@nats-io/transport-node";
import { mailQueries, type MailFeatures, type Subjects } from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";

const OFF: MailFeatures = { transcripts: false, offlineNotices: false };
const KNOWN_FOR_MS = 10_000;
/** Asked again soon when nobody answered: the notification service may be starting. */
const UNKNOWN_FOR_MS = 1000;

export type MailFeaturesSource = () => Promise<MailFeatures>;

/**
 * Whether e-mail is on, as the notification service (which holds the SMTP settings) says,
 * remembered for a few seconds. No answer counts as off: the widget then says e-mail is not
 * available instead of taking requests nobody would send.
 */
export const mailFeaturesOverNats = (
  nc: NatsConnection,
  subjects: Subjects,
  timeoutMs: number,
  now: () => number = Date.now,
): MailFeaturesSource => {
  const query = requesterFor({
    nc,
    operations: mailQueries,
    subjectOf: subjects.mailQuery,
    timeoutMs,
  });
  let known: { features: MailFeatures; until: number } | undefined;
  return async () => {
    if (known && known.until > now()) return known.features;
    try {
      const features = await query("mailFeatures", {
        actor: { id: "gateway", name: "Gateway", role: "system" },
        correlationId: `mail-features-${now()}`,
        payload: {},
      });
      known = { features, until: now() + KNOWN_FOR_MS };
    } catch {
      known = { features: OFF, until: now() + UNKNOWN_FOR_MS };
    }
    return known.features;
  };
};
