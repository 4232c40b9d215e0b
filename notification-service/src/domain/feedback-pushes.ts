import { socketRooms, type RecordedRoomEvent, type RoomEventOf } from "@support-chat/contracts";
import { push, type Push } from "./pushes.js";

type RoomRated = RoomEventOf<"RoomRated"> & { metadata: RecordedRoomEvent["metadata"] };

/** A rating goes live to every support console and to the customer's own tabs. */
export const ratingPushes = ({ data, metadata }: RoomRated): Push[] => [
  push([socketRooms.agents, socketRooms.user(data.customerId)], "roomRated", {
    roomId: data.roomId,
    score: data.score,
    comment: data.comment,
    ratedAt: metadata.occurredAt,
  }),
];
