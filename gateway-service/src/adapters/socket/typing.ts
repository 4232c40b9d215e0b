import { clientEvents, DomainError, isSupportRole, socketRooms } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { assertClaimedIdentity } from "../../domain/identity.js";
import type { RateLimits } from "../redis/rate-limits.js";
import { parsePayload, respond } from "./respond.js";
import type { EventHandler } from "./types.js";

/**
 * Relays a typing indicator to the others in the room, on every replica through the Redis
 * adapter. Ephemeral: never sent to the chat service, never stored. Only a socket that joined
 * the room (so the chat service let it see the room) may type into it.
 */
export const typing =
  ({ limits, log }: { limits: RateLimits; log: Logger }): EventHandler =>
  (socket, payload, ack) =>
    respond(ack, log, async () => {
      const { roomId, isTyping, userId } = parsePayload(clientEvents.typing.payload, payload);
      const { principal } = socket.data;
      assertClaimedIdentity(principal, { userId });
      await limits.typing(principal.id);
      const room = socketRooms.room(roomId);
      if (!socket.rooms.has(room)) {
        throw new DomainError("FORBIDDEN", "join the room before sending typing updates to it");
      }
      socket.to(room).emit("userTyping", {
        roomId,
        userId: principal.id,
        userName: principal.name,
        isFromSupport: isSupportRole(principal.role),
        isTyping,
      });
      return { roomId };
    });
