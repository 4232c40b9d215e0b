import type { ChatMessage } from "@support-chat/contracts";
import type { OutgoingMessage } from "../domain/conversation.js";
import { errorMessage, isTransient } from "./errors.js";
import { socketService } from "./socket.js";

export type DeliveryOutcome =
  | { kind: "sent"; message: ChatMessage }
  /** Not connected: it stays pending and goes out when the connection is back. */
  | { kind: "wait" }
  | { kind: "failed"; error: string };

/**
 * Sends one message over the socket under its clientMessageId. Sending the same id again is
 * safe: the server answers with the message it already stored.
 */
export const deliver = async (roomId: string, out: OutgoingMessage): Promise<DeliveryOutcome> => {
  if (!socketService.connected) return { kind: "wait" };
  try {
    const message = await socketService.request("sendMessage", {
      roomId,
      message: out.message,
      clientMessageId: out.clientMessageId,
      ...(out.attachments ? { attachments: out.attachments.map((a) => a.id) } : {}),
    });
    return { kind: "sent", message };
  } catch (error) {
    if (isTransient(error) && !socketService.connected) return { kind: "wait" };
    return { kind: "failed", error: errorMessage(error) };
  }
};
