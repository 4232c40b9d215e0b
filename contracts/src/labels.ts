import { z } from "zod";
import { DomainError } from "./errors.js";
import { Uuid } from "./primitives.js";

/** Bounds on room labels, the same at the gateway (fail fast) and in the room decider. */
export const LABEL_LIMITS = {
  /** Characters (code points) in one label after normalising. */
  maxLength: 32,
  /** Labels one room may carry. */
  maxPerRoom: 10,
  /** What a client may send before normalising; anything longer is refused outright. */
  rawMaxLength: 200,
} as const;

/** Lower-case letters and digits of any script, words joined by single `-` or `_`. */
const LABEL_SHAPE = /^[\p{Ll}\p{Lo}\p{Nd}]+(?:[-_][\p{Ll}\p{Lo}\p{Nd}]+)*$/u;

/** A label as stored and sent: already normalised. */
export const RoomLabel = z
  .string()
  .min(1)
  .max(LABEL_LIMITS.maxLength * 2)
  .regex(LABEL_SHAPE, "a label is lower-case letters and digits, words joined by - or _")
  .refine((s) => [...s].length <= LABEL_LIMITS.maxLength, {
    message: `a label is at most ${LABEL_LIMITS.maxLength} characters`,
  });
export type RoomLabel = z.infer<typeof RoomLabel>;

/**
 * The one rule for labels: trimmed, lower-case, inner spaces become a single `-`, then it must
 * be 1 to `maxLength` letters and digits joined by `-` or `_`. "Late Delivery" is
 * `late-delivery`, so two agents typing the same idea get the same label.
 */
export const normalizeLabel = (raw: string): RoomLabel => {
  const label = raw.trim().toLowerCase().replace(/\s+/g, "-").normalize("NFC");
  if (label.length === 0) throw new DomainError("VALIDATION_FAILED", "the label is empty");
  const length = [...label].length;
  if (length > LABEL_LIMITS.maxLength) {
    throw new DomainError(
      "VALIDATION_FAILED",
      `the label is ${length} characters; the maximum is ${LABEL_LIMITS.maxLength}`,
    );
  }
  if (!LABEL_SHAPE.test(label)) {
    throw new DomainError(
      "VALIDATION_FAILED",
      "a label may contain only letters and digits, with words joined by - or _",
    );
  }
  return label;
};

/** `POST /chat/support/room/:id/labels` */
export const AddLabelBody = z.object({ label: z.string().max(LABEL_LIMITS.rawMaxLength) });

/** NATS: add or remove one label (normalised again by the chat service). */
export const ChangeLabel = z.object({
  roomId: Uuid,
  label: z.string().max(LABEL_LIMITS.rawMaxLength),
});

export const LabelAdded = z.object({
  type: z.literal("LabelAdded"),
  data: z.object({ roomId: Uuid, label: RoomLabel }),
});
export const LabelRemoved = z.object({
  type: z.literal("LabelRemoved"),
  data: z.object({ roomId: Uuid, label: RoomLabel }),
});
