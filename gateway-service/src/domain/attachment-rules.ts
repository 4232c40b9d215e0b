import { ATTACHMENT_NAME_MAX, DomainError, isPreviewImage } from "@support-chat/contracts";

/** What operators allow (ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES). */
export type AttachmentRules = Readonly<{ maxBytes: number; allowedTypes: readonly string[] }>;

/** Enough of the start of a file for the type sniffer to recognize every format it knows. */
export const SNIFF_BYTES = 4100;

/** What is left when the bytes are neither a recognized format nor text. */
export const UNKNOWN_TYPE = "application/octet-stream";

// Extensions people use for the formats we know; a name's extension is a claim about its content.
const TYPE_OF_EXTENSION: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  jpe: "image/jpeg",
  jfif: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
  txt: "text/plain",
  text: "text/plain",
  log: "text/plain",
  csv: "text/plain",
  md: "text/plain",
};

const EXTENSION_OF_TYPE: Readonly<Record<string, string>> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "application/pdf": "pdf",
  "text/plain": "txt",
};

/** Declared types browsers send for the formats above, folded onto the type the sniffer names. */
const canonicalDeclaredType = (declared: string): string | undefined => {
  const type = declared.split(";")[0]!.trim().toLowerCase();
  if (type.startsWith("text/")) return "text/plain";
  if (type === "image/jpg" || type === "image/pjpeg") return "image/jpeg";
  return Object.values(TYPE_OF_EXTENSION).includes(type) ? type : undefined;
};

export const extensionOf = (name: string): string | undefined => {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined;
};

/**
 * The types a file claims to be, by its name's extension and the part's declared type, when
 * either names a format we recognize. Unknown extensions and `application/octet-stream` claim
 * nothing.
 */
export const claimedTypes = (name: string, declaredType: string | undefined): string[] => {
  const ext = extensionOf(name);
  const byName = ext === undefined ? undefined : TYPE_OF_EXTENSION[ext];
  const byHeader = declaredType === undefined ? undefined : canonicalDeclaredType(declaredType);
  return [...new Set([byName, byHeader].filter((t): t is string => t !== undefined))];
};

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f\u007f]/;

/**
 * Whether the bytes are UTF-8 text without control characters (tabs, line breaks, form feeds
 * and escapes allowed). `complete` is false for the head of a longer file, which may end
 * inside a character.
 */
export const looksLikeText = (bytes: Uint8Array, complete: boolean): boolean => {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: !complete });
    return !CONTROL_EXCEPT_WHITESPACE.test(text);
  } catch {
    return false;
  }
};

/** The content type from the bytes: the sniffer's answer, else text, else unknown. */
export const contentTypeOf = (
  head: Uint8Array,
  sniffed: string | undefined,
  complete: boolean,
): string => sniffed ?? (looksLikeText(head, complete) ? "text/plain" : UNKNOWN_TYPE);

/**
 * Refuses a type operators do not allow, and a file whose name or declared type says one
 * recognized format while its bytes are another (an .exe renamed .png, a PDF named .jpg).
 */
export const checkContentType = (
  actual: string,
  claimed: readonly string[],
  rules: AttachmentRules,
): void => {
  const disguise = claimed.filter((type) => type !== actual);
  if (!rules.allowedTypes.includes(actual)) {
    const claim = disguise.length > 0 ? ` although it is named as ${disguise.join(" / ")}` : "";
    throw new DomainError(
      "UNSUPPORTED_MEDIA_TYPE",
      `the file's content is ${actual}${claim}; accepted types: ${rules.allowedTypes.join(", ")}`,
    );
  }
  if (disguise.length > 0) {
    throw new DomainError(
      "UNSUPPORTED_MEDIA_TYPE",
      `the file is named as ${disguise.join(" / ")} but its content is ${actual}`,
    );
  }
};

export const tooLarge = (maxBytes: number): DomainError =>
  new DomainError("PAYLOAD_TOO_LARGE", `the file is larger than the limit of ${maxBytes} bytes`);

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f/\\]/g;

/**
 * A name fit to show and to offer for download: the last path segment of what the client
 * sent, without control characters, at most ATTACHMENT_NAME_MAX characters with its extension
 * kept; `attachment.<ext>` when nothing usable is left. Never used as a path on disk.
 */
export const displayNameOf = (raw: string | undefined, contentType: string): string => {
  const lastSegment = (raw ?? "").split(/[/\\]/).pop() ?? "";
  const cleaned = lastSegment.replace(UNSAFE_IN_NAME, "").replace(/\s+/g, " ").trim();
  const name = cleaned.replace(/^\.+/, "").length > 0 ? cleaned : "";
  if (name === "") return `attachment.${EXTENSION_OF_TYPE[contentType] ?? "bin"}`;
  const chars = [...name];
  if (chars.length <= ATTACHMENT_NAME_MAX) return name;
  const ext = extensionOf(name);
  const tail = ext !== undefined && ext.length <= 10 ? `.${ext}` : "";
  return chars.slice(0, ATTACHMENT_NAME_MAX - tail.length).join("") + tail;
};

/** RFC 5987 encoding of a UTF-8 value for `filename*`. */
const encodeRfc5987 = (value: string): string =>
  encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * `inline` for images the browser can preview, `attachment` for everything else; the name as
 * plain ASCII (quotes and non-ASCII replaced) plus the exact UTF-8 name in `filename*`.
 */
export const contentDispositionOf = (name: string, contentType: string): string => {
  const disposition = isPreviewImage(contentType) ? "inline" : "attachment";
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
};
