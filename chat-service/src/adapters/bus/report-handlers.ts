import { bucketFor, DomainError, isManagerRole, type chatQueries } from "@support-chat/contracts";
import type { Handlers } from "@support-chat/service-kit";
import type { ReadModel } from "../store/read-model.js";

/**
 * Reports for managers and admins. Agents see their own work in the console; the whole
 * team's figures are for those who run it. `now` ends the stretches of rooms still held.
 */
export const reportQueryHandlers = (
  read: Pick<ReadModel, "supportReport">,
  now: () => Date,
): Pick<Handlers<typeof chatQueries>, "getSupportReport"> => ({
  getSupportReport: async ({ actor, payload }) => {
    if (actor.role === "system" || !isManagerRole(actor.role)) {
      throw new DomainError("FORBIDDEN", "only managers and admins may read support reports");
    }
    const from = new Date(payload.from);
    const to = new Date(payload.to);
    const bucket = bucketFor(payload);
    const figures = await read.supportReport({
      from,
      to,
      timeZone: payload.timeZone,
      bucket,
      asOf: now(),
    });
    return {
      period: {
        from: from.toISOString(),
        to: to.toISOString(),
        timeZone: payload.timeZone,
        bucket,
      },
      ...figures,
    };
  },
});
