import { z } from "zod";
import { DomainError } from "./errors.js";
import { EventMetadata } from "./events.js";
import { DisplayName, IsoDateTime, isStorableText, NOT_STORABLE, Uuid } from "./primitives.js";

/**
 * Canned responses: shared replies managers and admins keep, which agents insert into the
 * composer by typing `/<shortcut>` or from a picker. Inserted text is then an ordinary message.
 */
export const CANNED_LIMITS = {
  /** Characters of a title, after trimming. */
  titleMax: 80,
  /** Characters of a shortcut, after normalising. */
  shortcutMax: 32,
  /** Characters (code points) of the text; the default length of one message, so it can be sent. */
  textMax: 2000,
  /** Live canned responses at most; the list is answered whole, so it must stay bounded. */
  catalogMax: 500,
} as const;

/** What a shortcut may contain once normalised: lower-case letters, digits, `_` and `-`. */
export const SHORTCUT_PATTERN = /^[a-z0-9_-]+$/;

/**
 * The one spelling of a shortcut: trimmed, without the `/` people type in front of it, in
 * lower case. What remains must match SHORTCUT_PATTERN; nothing is silently dropped.
 */
export const normalizeShortcut = (raw: string): string =>
  raw.trim().replace(/^\//, "").toLowerCase();

const codePoints = (text: string): number => [...text].length;

export const CannedTitle = z
  .string()
  .trim()
  .min(1, "title is empty")
  .max(CANNED_LIMITS.titleMax, `title is longer than ${CANNED_LIMITS.titleMax} characters`)
  .refine(isStorableText, `title ${NOT_STORABLE}`);

export const CannedShortcut = z
  .string()
  .max(200, "shortcut is far too long")
  .transform(normalizeShortcut)
  .pipe(
    z
      .string()
      .min(1, "shortcut is empty")
      .max(
        CANNED_LIMITS.shortcutMax,
        `shortcut is longer than ${CANNED_LIMITS.shortcutMax} characters`,
      )
      .regex(SHORTCUT_PATTERN, "shortcut may contain only letters a-z, digits, _ and -"),
  );

export const CannedText = z
  .string()
  // A bound on the work before counting code points; the real limit follows.
  .max(CANNED_LIMITS.textMax * 4, `text is longer than ${CANNED_LIMITS.textMax} characters`)
  .trim()
  .min(1, "text is empty")
  .refine(
    (text) => codePoints(text) <= CANNED_LIMITS.textMax,
    `text is longer than ${CANNED_LIMITS.textMax} characters`,
  )
  .refine(isStorableText, `text ${NOT_STORABLE}`);

export const CannedFields = z.object({
  title: CannedTitle,
  shortcut: CannedShortcut,
  text: CannedText,
});
export type CannedFields = z.infer<typeof CannedFields>;

/**
 * Checks and normalises the fields of a canned response (the gateway validates the same schema
 * first; the decider applies it again, since nothing else writes them).
 */
export const normalizeCannedFields = (fields: CannedFields): CannedFields => {
  const parsed = CannedFields.safeParse(fields);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => issue.message);
  throw new DomainError("VALIDATION_FAILED", [...new Set(problems)].join("; "));
};

/** A canned response as the console sees it. `version` is what an edit must name. */
export const CannedResponse = z.object({
  id: Uuid,
  title: z.string(),
  shortcut: z.string(),
  text: z.string(),
  version: z.number().int().min(1),
  updatedAt: IsoDateTime,
  updatedByName: DisplayName,
});
export type CannedResponse = z.infer<typeof CannedResponse>;

// ---- domain events (stream `canned-<id>`) ----

const event = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), data });

const CannedData = z.object({
  cannedResponseId: Uuid,
  title: z.string(),
  shortcut: z.string(),
  text: z.string(),
});

export const CannedResponseCreated = event("CannedResponseCreated", CannedData);
/** Carries every field after the edit, so the event alone says what the response now is. */
export const CannedResponseEdited = event("CannedResponseEdited", CannedData);
export const CannedResponseDeleted = event(
  "CannedResponseDeleted",
  z.object({ cannedResponseId: Uuid, shortcut: z.string() }),
);

export const CannedEventBody = z.discriminatedUnion("type", [
  CannedResponseCreated,
  CannedResponseEdited,
  CannedResponseDeleted,
]);
export type CannedEventBody = z.infer<typeof CannedEventBody>;
export type CannedEventType = CannedEventBody["type"];
export type CannedEventOf<T extends CannedEventType> = Extract<CannedEventBody, { type: T }>;
export const CANNED_EVENT_TYPES = CannedEventBody.options.map(
  (o) => o.shape.type.value,
) as readonly CannedEventType[];
export const isCannedEventType = (type: string): type is CannedEventType =>
  (CANNED_EVENT_TYPES as readonly string[]).includes(type);

export const RecordedCannedEvent = z.intersection(
  CannedEventBody,
  z.object({ metadata: EventMetadata }),
);
export type RecordedCannedEvent = CannedEventBody & { metadata: EventMetadata };

/** Each canned response is a stream of its own, beside the rooms' `room-<id>`. */
export const cannedStreamId = (id: string): string => `canned-${id}`;
export const CANNED_STREAM_PREFIX = "canned-";

// ---- NATS operations (subjects `<ns>.cmd.<name>` / `<ns>.query.<name>`) ----

export const CreateCannedResponse = CannedFields;
/**
 * An edit names the version it was made on (optimistic concurrency): when someone else saved
 * in between, it is refused with CONFLICT instead of overwriting their change.
 */
export const EditCannedResponse = z.object({
  id: Uuid,
  version: z.number().int().min(1),
  title: CannedTitle.optional(),
  shortcut: CannedShortcut.optional(),
  text: CannedText.optional(),
});
/** `version`, when given, must be the current one, like an edit's. */
export const DeleteCannedResponse = z.object({
  id: Uuid,
  version: z.number().int().min(1).optional(),
});
export const DeletedCannedResponse = z.object({ id: Uuid, version: z.number().int().min(1) });
export type DeletedCannedResponse = z.infer<typeof DeletedCannedResponse>;
export const CannedResponseList = z.object({ responses: z.array(CannedResponse) });

export const cannedCommands = {
  createCannedResponse: { request: CreateCannedResponse, reply: CannedResponse },
  editCannedResponse: { request: EditCannedResponse, reply: CannedResponse },
  deleteCannedResponse: { request: DeleteCannedResponse, reply: DeletedCannedResponse },
} as const;
export const cannedQueries = {
  listCannedResponses: { request: z.object({}), reply: CannedResponseList },
} as const;
export type CannedCommandName = keyof typeof cannedCommands;
export type CannedQueryName = keyof typeof cannedQueries;

// ---- REST (under /api/chat/support/canned-responses) ----

/** `POST /chat/support/canned-responses` */
export const CreateCannedResponseBody = CannedFields;
/** `PUT /chat/support/canned-responses/:id`: the fields to change and the version they were read at. */
export const EditCannedResponseBody = EditCannedResponse.omit({ id: true }).refine(
  (b) => b.title !== undefined || b.shortcut !== undefined || b.text !== undefined,
  { message: "nothing to change: give a title, shortcut or text" },
);
/** `DELETE /chat/support/canned-responses/:id?version=<n>` */
export const DeleteCannedResponseQuery = z.object({
  version: z.coerce.number().int().min(1).optional(),
});

// ---- socket push to every support console ----

export const CannedResponseChangedPush = z.discriminatedUnion("change", [
  z.object({ change: z.literal("saved"), response: CannedResponse }),
  z.object({ change: z.literal("deleted"), id: Uuid, version: z.number().int().min(1) }),
]);
export type CannedResponseChangedPush = z.infer<typeof CannedResponseChangedPush>;
