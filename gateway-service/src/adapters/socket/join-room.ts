import { clientEvents, DomainError, socketRooms } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import type { ChatClient } from "../bus/chat-client.js";
import { callerOf, parsePayload, respond } from "./respond.js";
import type { EventHandler } from "./types.js";

/**
 * Joins the socket to a room's pushes, but only after the chat service has shown the room to
 * this user: customers get their own rooms only, agents any room.
 */
export const joinRoom =
  ({ chat, log }: { chat: ChatClient; log: Logger }): EventHandler =>
  (socket, payload, ack) =>
    respond(ack, log, async () => {
      const { roomId } = parsePayload(clientEvents.joinRoom.payload, payload);
      const room = await chat.query("getRoom", { roomId }, callerOf(socket));
      // A socket that left while we asked must not linger in the adapter's room list.
      if (socket.disconnected) throw new DomainError("UNAVAILABLE", "the socket disconnected");
      await socket.join(socketRooms.room(roomId));
      return room;
    });
