import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertObjectKey, type ObjectStore } from "./object-store.js";

const isMissing = (e: unknown): boolean => (e as { code?: unknown }).code === "ENOENT";

/**
 * Attachments as files under one directory, for a single machine. A file is written under a
 * temporary name and renamed into place when complete, so a reader never sees half a file and
 * a failed upload leaves nothing. Files are spread over subdirectories by the first two
 * characters of the id.
 */
export const createFsObjectStore = async (directory: string): Promise<ObjectStore> => {
  await mkdir(directory, { recursive: true });
  const pathOf = (key: string) => join(directory, assertObjectKey(key).slice(0, 2), key);

  const head = async (key: string) => {
    try {
      const info = await stat(pathOf(key));
      return info.isFile() ? { size: info.size } : undefined;
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  };

  return {
    kind: "filesystem",
    put: async (key, body: Readable) => {
      const path = pathOf(key);
      await mkdir(join(path, ".."), { recursive: true });
      const partial = `${path}.${randomUUID()}.part`;
      try {
        await pipeline(body, createWriteStream(partial, { flags: "wx", mode: 0o640 }));
        await rename(partial, path);
      } catch (e) {
        await rm(partial, { force: true });
        throw e;
      }
    },
    head,
    get: async (key) => {
      const found = await head(key);
      return found && { ...found, body: createReadStream(pathOf(key)) };
    },
    delete: async (key) => {
      await rm(pathOf(key), { force: true });
    },
  };
};
