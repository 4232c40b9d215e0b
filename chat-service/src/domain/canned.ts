import {
  CANNED_LIMITS,
  DomainError,
  isManagerRole,
  isSupportRole,
  normalizeCannedFields,
  type Actor,
  type CannedEventBody,
  type CannedFields,
} from "@support-chat/contracts";

/** One canned response as its stream tells it; `version` is the stream's length. */
export type CannedResponseState =
  | Readonly<{ status: "none"; version: 0 }>
  | Readonly<{
      status: "live" | "deleted";
      id: string;
      title: string;
      shortcut: string;
      text: string;
      version: number;
    }>;

/** The live canned responses (id and shortcut), read under the catalog's lock. */
export type Catalog = ReadonlyArray<Readonly<{ id: string; shortcut: string; title: string }>>;

export const initialCannedState = (): CannedResponseState => ({ status: "none", version: 0 });

export const evolveCanned = (
  state: CannedResponseState,
  event: CannedEventBody,
): CannedResponseState => {
  const version = state.version + 1;
  switch (event.type) {
    case "CannedResponseCreated":
    case "CannedResponseEdited": {
      const { cannedResponseId: id, title, shortcut, text } = event.data;
      return { status: "live", id, title, shortcut, text, version };
    }
    case "CannedResponseDeleted":
      return state.status === "none" ? state : { ...state, status: "deleted", version };
    default: {
      const unknown: never = event;
      throw new Error(`no evolution for ${JSON.stringify(unknown)}`);
    }
  }
};

type Metadata = Readonly<{ actor: Actor }>;

export type CannedCommand =
  | Readonly<{
      type: "CreateCannedResponse";
      data: Readonly<{ id: string } & CannedFields>;
      metadata: Metadata;
    }>
  | Readonly<{
      type: "EditCannedResponse";
      data: Readonly<{ id: string; expectedVersion: number } & Partial<CannedFields>>;
      metadata: Metadata;
    }>
  | Readonly<{
      type: "DeleteCannedResponse";
      data: Readonly<{ id: string; expectedVersion?: number | undefined }>;
      metadata: Metadata;
    }>;

/** Managers and admins keep the catalog; everyone else is refused before anything is read. */
const mustManage = (actor: Actor, what: string): void => {
  if (!isManagerRole(actor.role)) {
    throw new DomainError(
      "FORBIDDEN",
      `you may not ${what} canned responses; only managers and admins may`,
    );
  }
};

/** Who may read the catalog: support staff and our own services, never customers. */
export const assertMayListCanned = (actor: Actor): void => {
  if (!isSupportRole(actor.role) && actor.role !== "system") {
    throw new DomainError("FORBIDDEN", "canned responses are for support staff only");
  }
};

const existing = (state: CannedResponseState, id: string) => {
  if (state.status !== "live") {
    throw new DomainError("NOT_FOUND", `canned response ${id} does not exist`);
  }
  return state;
};

const atVersion = <S extends { version: number; id: string }>(state: S, expected?: number): S => {
  if (expected !== undefined && expected !== state.version) {
    throw new DomainError(
      "CONFLICT",
      `canned response ${state.id} is at version ${state.version}, not ${expected}: ` +
        "someone changed it meanwhile; reload it and try again",
    );
  }
  return state;
};

const shortcutFree = (catalog: Catalog, shortcut: string, self: string | null): void => {
  const holder = catalog.find((c) => c.shortcut === shortcut && c.id !== self);
  if (holder) {
    throw new DomainError(
      "CONFLICT",
      `shortcut /${shortcut} is already used by "${holder.title}"; pick another`,
    );
  }
};

const create = (
  command: Extract<CannedCommand, { type: "CreateCannedResponse" }>,
  state: CannedResponseState,
  catalog: Catalog,
): CannedEventBody[] => {
  mustManage(command.metadata.actor, "create");
  const { id } = command.data;
  if (state.status !== "none") throw new DomainError("CONFLICT", `canned response ${id} exists`);
  const fields = normalizeCannedFields(command.data);
  shortcutFree(catalog, fields.shortcut, null);
  if (catalog.length >= CANNED_LIMITS.catalogMax) {
    throw new DomainError(
      "CONFLICT",
      `there are already ${catalog.length} canned responses, the most there may be; delete some first`,
    );
  }
  return [{ type: "CannedResponseCreated", data: { cannedResponseId: id, ...fields } }];
};

const edit = (
  command: Extract<CannedCommand, { type: "EditCannedResponse" }>,
  state: CannedResponseState,
  catalog: Catalog,
): CannedEventBody[] => {
  mustManage(command.metadata.actor, "edit");
  const { id, expectedVersion } = command.data;
  const current = atVersion(existing(state, id), expectedVersion);
  const fields = normalizeCannedFields({
    title: command.data.title ?? current.title,
    shortcut: command.data.shortcut ?? current.shortcut,
    text: command.data.text ?? current.text,
  });
  const unchanged =
    fields.title === current.title &&
    fields.shortcut === current.shortcut &&
    fields.text === current.text;
  // Saving what is already there changes nothing and records nothing.
  if (unchanged) return [];
  shortcutFree(catalog, fields.shortcut, id);
  return [{ type: "CannedResponseEdited", data: { cannedResponseId: id, ...fields } }];
};

const remove = (
  command: Extract<CannedCommand, { type: "DeleteCannedResponse" }>,
  state: CannedResponseState,
): CannedEventBody[] => {
  mustManage(command.metadata.actor, "delete");
  const { id, expectedVersion } = command.data;
  const current = atVersion(existing(state, id), expectedVersion);
  return [
    { type: "CannedResponseDeleted", data: { cannedResponseId: id, shortcut: current.shortcut } },
  ];
};

/**
 * Decides a change to one canned response, given its stream's state and the live catalog (for
 * the one-shortcut-one-response rule). Pure: ids are minted by the caller.
 */
export const decideCanned = (
  command: CannedCommand,
  state: CannedResponseState,
  catalog: Catalog,
): CannedEventBody[] => {
  switch (command.type) {
    case "CreateCannedResponse":
      return create(command, state, catalog);
    case "EditCannedResponse":
      return edit(command, state, catalog);
    case "DeleteCannedResponse":
      return remove(command, state);
    default: {
      const unknown: never = command;
      throw new DomainError("VALIDATION_FAILED", `unknown command ${JSON.stringify(unknown)}`);
    }
  }
};
