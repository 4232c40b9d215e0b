import { clientEvents } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { assertClaimedIdentity } from "../../domain/identity.js";
import { parsePayload, respond } from "./respond.js";
import type { EventHandler } from "./types.js";

/**
 * The seed's `register {userId}`. The socket already belongs to the token's user (it joined
 * its user room on connect); this only confirms who that is and refuses anyone else's id.
 */
export const register =
  ({ log }: { log: Logger }): EventHandler =>
  (socket, payload, ack) =>
    respond(ack, log, async () => {
      const { userId } = parsePayload(clientEvents.register.payload, payload);
      const { principal } = socket.data;
      assertClaimedIdentity(principal, { userId });
      return { userId: principal.id, name: principal.name, role: principal.role };
    });
