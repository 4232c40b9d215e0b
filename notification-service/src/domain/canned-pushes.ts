import { socketRooms, type RecordedCannedEvent } from "@support-chat/contracts";
import { push, type Push } from "./pushes.js";

/**
 * What support consoles should see after a canned-response event: the response as it now is,
 * or that it is gone. The event carries every field, so no read is needed; `version` lets a
 * console ignore a push older than what it already has.
 */
export const cannedPushes = (event: RecordedCannedEvent): Push[] => {
  const { metadata } = event;
  if (event.type === "CannedResponseDeleted") {
    return [
      push([socketRooms.agents], "cannedResponseChanged", {
        change: "deleted",
        id: event.data.cannedResponseId,
        version: metadata.streamPosition,
      }),
    ];
  }
  const { cannedResponseId, title, shortcut, text } = event.data;
  return [
    push([socketRooms.agents], "cannedResponseChanged", {
      change: "saved",
      response: {
        id: cannedResponseId,
        title,
        shortcut,
        text,
        version: metadata.streamPosition,
        updatedAt: metadata.occurredAt,
        updatedByName: metadata.actor.name,
      },
    }),
  ];
};
