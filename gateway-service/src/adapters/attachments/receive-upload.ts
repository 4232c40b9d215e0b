import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy, { type Busboy, type FileInfo } from "busboy";
import { ATTACHMENT_FIELD, DomainError } from "@support-chat/contracts";
import { displayNameOf, tooLarge, type AttachmentRules } from "../../domain/attachment-rules.js";
import type { ObjectStore } from "../storage/object-store.js";
import { AttachmentInspector, type Inspection } from "./inspector.js";

export type ReceivedAttachment = Inspection & { name: string };

// Room for the multipart boundaries and part headers around the file itself.
const MULTIPART_OVERHEAD = 64 * 1024;

const invalid = (message: string) => new DomainError("VALIDATION_FAILED", message);

/** Refuses at once what says it is too large, before reading any of it. */
export const assertDeclaredLength = (req: IncomingMessage, rules: AttachmentRules): void => {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > rules.maxBytes + MULTIPART_OVERHEAD) {
    throw tooLarge(rules.maxBytes);
  }
};

const parserFor = (req: IncomingMessage, rules: AttachmentRules): Busboy => {
  try {
    return busboy({
      headers: req.headers,
      defParamCharset: "utf8",
      limits: { files: 1, fileSize: rules.maxBytes, fields: 10, fieldSize: 1024, parts: 11 },
    });
  } catch {
    throw invalid(`send the file as multipart/form-data in the field "${ATTACHMENT_FIELD}"`);
  }
};

/** Bytes of an abandoned upload we still read (so the client hears why) before hanging up. */
const drainOrHangUp = (req: IncomingMessage, limit: number): void => {
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > limit) req.destroy();
  });
  req.resume();
};

/**
 * Reads one multipart upload and streams its file into the store under `key`, inspecting the
 * bytes on the way: nothing is buffered beyond the head the type sniffer needs, and nothing is
 * stored unless the type is allowed. Resolves when the object is stored completely; on any
 * refusal it rejects (the caller removes whatever part of the object may exist).
 */
export const receiveUpload = (
  req: IncomingMessage,
  deps: { key: string; rules: AttachmentRules; store: ObjectStore },
): Promise<ReceivedAttachment> =>
  new Promise<ReceivedAttachment>((resolve, reject) => {
    const parser = parserFor(req, deps.rules);
    let storing: Promise<ReceivedAttachment> | undefined;
    let inspector: AttachmentInspector | undefined;
    let finished = false;
    const refuse = (e: unknown) => {
      if (finished) return;
      finished = true;
      req.unpipe(parser);
      drainOrHangUp(req, deps.rules.maxBytes + MULTIPART_OVERHEAD);
      inspector?.destroy(e instanceof Error ? e : undefined);
      // Answer once the store is done with the file, so the caller's clean-up comes after it.
      const settled = storing?.then(
        () => undefined,
        () => undefined,
      );
      void (settled ?? Promise.resolve()).then(() => reject(e));
    };

    parser.on("file", (field: string, file: Readable, info: FileInfo) => {
      if (field !== ATTACHMENT_FIELD || storing) {
        file.resume();
        return refuse(invalid(`send exactly one file, in the field "${ATTACHMENT_FIELD}"`));
      }
      inspector = new AttachmentInspector(deps.rules, {
        name: info.filename ?? "",
        declaredType: info.mimeType,
      });
      storing = storeFile(file, inspector, info, deps);
      storing.catch(refuse);
    });
    parser.on("filesLimit", () => refuse(invalid("send one file per request")));
    parser.on("partsLimit", () => refuse(invalid("the upload has too many parts")));
    parser.on("fieldsLimit", () => refuse(invalid("the upload has too many fields")));
    parser.on("error", (e: unknown) =>
      refuse(invalid(`the upload is not valid multipart/form-data: ${(e as Error).message}`)),
    );
    parser.on("close", () => {
      if (!storing) return refuse(invalid(`no file in the field "${ATTACHMENT_FIELD}"`));
      storing.then((received) => {
        finished = true;
        resolve(received);
      }, refuse);
    });
    req.on("aborted", () => refuse(invalid("the upload was interrupted")));
    req.pipe(parser);
  });

const storeFile = async (
  file: Readable,
  inspector: AttachmentInspector,
  info: FileInfo,
  deps: { key: string; rules: AttachmentRules; store: ObjectStore },
): Promise<ReceivedAttachment> => {
  // busboy stops at the limit and ends the file early; that must fail, not store a truncated file.
  file.once("limit", () => inspector.destroy(tooLarge(deps.rules.maxBytes)));
  const flowing = pipeline(file, inspector);
  flowing.catch(() => undefined);
  try {
    const contentType = await inspector.contentType;
    await Promise.all([deps.store.put(deps.key, inspector, { contentType }), flowing]);
  } catch (e) {
    inspector.destroy();
    throw e;
  }
  const inspection = inspector.result();
  return { ...inspection, name: displayNameOf(info.filename, inspection.contentType) };
};
