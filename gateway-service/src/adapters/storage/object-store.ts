import type { Readable } from "node:stream";

export type StoredObject = Readonly<{ size: number }>;

/**
 * Where attachment bytes live. Keys are attachment ids (UUIDs minted by the gateway), never
 * anything a client chose. `put` either stores the whole body or nothing: a body that fails
 * part-way leaves no object behind.
 */
export interface ObjectStore {
  put(key: string, body: Readable, meta: { contentType: string }): Promise<void>;
  /** The object's bytes, or undefined when there is no such object. */
  get(key: string): Promise<(StoredObject & { body: Readable }) | undefined>;
  head(key: string): Promise<StoredObject | undefined>;
  /** Removes the object; removing one that does not exist is not an error. */
  delete(key: string): Promise<void>;
  /** Which kind of store, for logs. */
  readonly kind: string;
}

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A guard at every store's door: only ids we minted become names of stored objects. */
export const assertObjectKey = (key: string): string => {
  if (!KEY.test(key)) throw new Error(`object key ${JSON.stringify(key)} is not an attachment id`);
  return key;
};
