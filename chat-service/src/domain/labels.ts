import {
  DomainError,
  isSupportRole,
  LABEL_LIMITS,
  normalizeLabel,
  type Actor,
  type RoomEventBody,
  type RoomEventOf,
} from "@support-chat/contracts";
import type { CommandMetadata } from "./decide.js";
import { roomExists, type OpenRoom, type RoomState } from "./room.js";

/** Labels support staff put on rooms (`refund`, `shipping`), closed rooms included. */
type LabelCommand<T extends string> = Readonly<{
  type: T;
  data: Readonly<{ roomId: string; label: string }>;
  metadata: CommandMetadata;
}>;
export type AddLabelCommand = LabelCommand<"AddLabel">;
export type RemoveLabelCommand = LabelCommand<"RemoveLabel">;

const labelledRoom = (actor: Actor, state: RoomState, roomId: string): OpenRoom => {
  if (actor.role === "system" || !isSupportRole(actor.role)) {
    throw new DomainError("FORBIDDEN", "only support staff may label rooms");
  }
  if (!roomExists(state)) throw new DomainError("NOT_FOUND", `room ${roomId} does not exist`);
  return state;
};

export const addLabel = (command: AddLabelCommand, state: RoomState): RoomEventBody[] => {
  const { roomId } = command.data;
  const room = labelledRoom(command.metadata.actor, state, roomId);
  const label = normalizeLabel(command.data.label);
  if (room.labels.includes(label)) return [];
  if (room.labels.length >= LABEL_LIMITS.maxPerRoom) {
    throw new DomainError(
      "VALIDATION_FAILED",
      `room ${roomId} already has ${LABEL_LIMITS.maxPerRoom} labels; remove one first`,
    );
  }
  return [{ type: "LabelAdded", data: { roomId, label } }];
};

/** Removing a label the room does not carry changes nothing and is not an error. */
export const removeLabel = (command: RemoveLabelCommand, state: RoomState): RoomEventBody[] => {
  const { roomId } = command.data;
  const room = labelledRoom(command.metadata.actor, state, roomId);
  const label = normalizeLabel(command.data.label);
  if (!room.labels.includes(label)) return [];
  return [{ type: "LabelRemoved", data: { roomId, label } }];
};

export const labelAdded = (room: OpenRoom, { data }: RoomEventOf<"LabelAdded">): OpenRoom => ({
  ...room,
  labels: [...room.labels, data.label],
});

export const labelRemoved = (room: OpenRoom, { data }: RoomEventOf<"LabelRemoved">): OpenRoom => ({
  ...room,
  labels: room.labels.filter((l) => l !== data.label),
});
