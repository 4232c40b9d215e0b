import type { RecordedRoomEvent } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { transcriptEmail } from "../../domain/mail/transcript-email.js";
import type { ChatForMail } from "./chat-for-mail.js";
import { mailRetryMs, type MailOutcome } from "./mail-consumer.js";
import type { Mailer } from "./mailer.js";
import type { SentMarkers } from "./sent-markers.js";

const SENT_TTL_SECONDS = 30 * 86_400;

/**
 * Sends the transcript a `TranscriptRequested` event asks for, once per event: the event id is
 * the sent mark's key.
 */
export const transcriptSender =
  (deps: {
    chat: ChatForMail;
    mailer: Mailer;
    markers: SentMarkers;
    chatUrl: string;
    counted: (outcome: string) => void;
    log: Logger;
  }) =>
  async (event: RecordedRoomEvent, attempt: number): Promise<MailOutcome> => {
    if (event.type !== "TranscriptRequested") return { done: true };
    const key = `transcript:${event.metadata.eventId}`;
    const log = deps.log.child({ eventId: event.metadata.eventId, roomId: event.data.roomId });
    const claim = await deps.markers.claim(key);
    if (claim === "sent") {
      deps.counted("duplicate");
      return { done: true };
    }
    if (claim === "sending") return { done: false, retryMs: mailRetryMs(1) };
    try {
      const { roomId, upToSeq, email } = event.data;
      const transcript = await deps.chat.transcript(roomId, upToSeq, event.metadata);
      await deps.mailer.send(email, transcriptEmail(transcript, deps.chatUrl));
    } catch (err) {
      await deps.markers.release(key);
      deps.counted("retried");
      const retryMs = mailRetryMs(attempt);
      log.warn(
        { err: (err as Error).message, attempt, retryMs },
        "transcript not sent; will retry",
      );
      return { done: false, retryMs };
    }
    await deps.markers.markSent(key, SENT_TTL_SECONDS);
    deps.counted("sent");
    log.info({ reason: event.data.reason }, "transcript sent");
    return { done: true };
  };
