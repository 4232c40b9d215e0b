import { clientEvents, normalizeMessageBody } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { assertClaimedIdentity } from "../../domain/identity.js";
import type { ChatClient } from "../bus/chat-client.js";
import type { RateLimits } from "../redis/rate-limits.js";
import { callerOf, parsePayload, respond } from "./respond.js";
import type { EventHandler } from "./types.js";

/**
 * Posts a message and acks it once it is recorded. The gateway does not push `newMessage`
 * itself: the notification service does, from the event log, so every replica's sockets get
 * it once. A retry with the same clientMessageId acks the same message again.
 */
export const sendMessage =
  (deps: {
    chat: ChatClient;
    limits: RateLimits;
    messageMaxLength: number;
    log: Logger;
  }): EventHandler =>
  (socket, payload, ack) =>
    respond(ack, deps.log, async () => {
      const request = parsePayload(clientEvents.sendMessage.payload, payload);
      const { principal } = socket.data;
      assertClaimedIdentity(principal, request);
      const { roomId, clientMessageId, attachments } = request;
      const count = attachments?.length ?? 0;
      const message = normalizeMessageBody(request.message, deps.messageMaxLength, count);
      await deps.limits.message(principal.id);
      const result = await deps.chat.command(
        "postMessage",
        { roomId, clientMessageId, message, attachments },
        callerOf(socket),
      );
      return result.message;
    });
