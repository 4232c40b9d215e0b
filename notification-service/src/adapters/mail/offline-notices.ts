import type { RecordedRoomEvent } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import type { Redis } from "ioredis";
import {
  decideOfflineNotice,
  offlineNoticeEmail,
  type OfflineNoticeRules,
} from "../../domain/mail/offline-notice.js";
import type { ChatForMail } from "./chat-for-mail.js";
import { readCustomerPresence } from "./customer-presence.js";
import { mailRetryMs, type MailOutcome } from "./mail-consumer.js";
import type { Mailer } from "./mailer.js";
import type { SentMarkers } from "./sent-markers.js";

const UNTIL_BACK_SECONDS = 30 * 86_400;
const KNOWN_ROOMS_MAX = 10_000;

/**
 * On a support reply, e-mails the room's customer when they have been away long enough: one
 * notice per stretch of absence (their next connection starts a new one), or again after the
 * quiet period when one is set.
 */
export const offlineNotifier = (deps: {
  chat: ChatForMail;
  redis: Redis;
  namespace: string;
  mailer: Mailer;
  markers: SentMarkers;
  rules: OfflineNoticeRules & { quietSeconds: number };
  chatUrl: string;
  counted: (outcome: string) => void;
  log: Logger;
}) => {
  // A room's customer never changes: asked once per room, not once per reply.
  const customers = new Map<string, string>();
  const customerOf = async (event: RecordedRoomEvent) => {
    const roomId = event.data.roomId;
    const known = customers.get(roomId);
    if (known) return known;
    const { customerId } = await deps.chat.contact(roomId, event.metadata);
    if (customers.size >= KNOWN_ROOMS_MAX) customers.delete(customers.keys().next().value!);
    customers.set(roomId, customerId);
    return customerId;
  };

  return async (event: RecordedRoomEvent, attempt: number): Promise<MailOutcome> => {
    if (event.type !== "MessagePosted" || !event.data.isFromSupport) return { done: true };
    const { roomId } = event.data;
    const log = deps.log.child({ eventId: event.metadata.eventId, roomId });
    let key: string | undefined;
    try {
      const customerId = await customerOf(event);
      const presence = await readCustomerPresence(deps.redis, deps.namespace, customerId);
      // Away long enough when the reply was written, not when we get to it.
      const repliedAt = Date.parse(event.metadata.occurredAt);
      const decision = decideOfflineNotice(event.data, presence, repliedAt, deps.rules);
      if (!decision.send) return { done: true };
      const address =
        presence.email ?? (await deps.chat.contact(roomId, event.metadata)).email ?? null;
      if (address === null) {
        deps.counted("no_address");
        return { done: true };
      }
      key = `offline:${roomId}:${decision.burst}`;
      if ((await deps.markers.claim(key)) !== "claimed") {
        key = undefined;
        return { done: true };
      }
      const email = offlineNoticeEmail(
        { agentName: event.data.senderName, message: event.data.message },
        deps.chatUrl,
      );
      await deps.mailer.send(address, email);
      const ttl = deps.rules.quietSeconds > 0 ? deps.rules.quietSeconds : UNTIL_BACK_SECONDS;
      await deps.markers.markSent(key, ttl);
      deps.counted("sent");
      log.info("offline notice sent");
      return { done: true };
    } catch (err) {
      if (key) await deps.markers.release(key).catch(() => undefined);
      deps.counted("retried");
      const retryMs = mailRetryMs(attempt);
      log.warn(
        { err: (err as Error).message, attempt, retryMs },
        "offline notice not sent; will retry",
      );
      return { done: false, retryMs };
    }
  };
};
