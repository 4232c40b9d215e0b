import { clientEvents, socketRooms } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { parsePayload, respond } from "./respond.js";
import type { EventHandler } from "./types.js";

/** Stops a room's pushes to this socket (the console closing a conversation tab). */
export const leaveRoom =
  ({ log }: { log: Logger }): EventHandler =>
  (socket, payload, ack) =>
    respond(ack, log, async () => {
      const { roomId } = parsePayload(clientEvents.leaveRoom.payload, payload);
      await socket.leave(socketRooms.room(roomId));
      return { roomId };
    });
