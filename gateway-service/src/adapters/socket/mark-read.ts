import { clientEvents } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import type { ChatClient } from "../bus/chat-client.js";
import { callerOf, parsePayload, respond } from "./respond.js";
import type { EventHandler } from "./types.js";

/** Marks the other side's messages read up to `upToSeq` (or all of them). */
export const markRead =
  ({ chat, log }: { chat: ChatClient; log: Logger }): EventHandler =>
  (socket, payload, ack) =>
    respond(ack, log, async () => {
      const { roomId, upToSeq } = parsePayload(clientEvents.markRead.payload, payload);
      return chat.command("markRead", { roomId, upToSeq }, callerOf(socket));
    });
