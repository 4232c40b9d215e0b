import type { AttachmentDescriptor } from "@support-chat/contracts";
import { n, t } from "../i18n/text.js";
import { CLIENT_ERRORS, ChatRequestError } from "./errors.js";
import { apiUrl, gatewayToken } from "./gateway.js";

/**
 * Attachments as the browser handles them. Uploads go over XMLHttpRequest (fetch cannot report
 * upload progress). Downloads need the bearer token, which an <img src> cannot send, so the
 * bytes are fetched with it and shown through an object URL (kept for the page's life).
 */

const PREVIEW_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
export const isPreviewImage = (a: AttachmentDescriptor): boolean =>
  PREVIEW_TYPES.includes(a.contentType);

const attachmentsPath = (roomId: string) => `/chat/room/${encodeURIComponent(roomId)}/attachments`;

const refusalOf = (xhr: XMLHttpRequest): ChatRequestError => {
  let error: { code?: unknown; message?: unknown } | undefined;
  try {
    error = (JSON.parse(xhr.responseText) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  return new ChatRequestError(
    typeof error?.code === "string" ? error.code : `HTTP_${xhr.status}`,
    typeof error?.message === "string"
      ? error.message
      : t("errors.uploadFailed", { status: xhr.status }),
    xhr.status === 502 || xhr.status === 503,
  );
};

/** Uploads one file to the room; `onProgress` gets the fraction sent so far. */
export const uploadAttachment = (
  roomId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<AttachmentDescriptor> =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", apiUrl(attachmentsPath(roomId)));
    const token = gatewayToken();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve(JSON.parse(xhr.responseText) as AttachmentDescriptor)
        : reject(refusalOf(xhr));
    xhr.onerror = () =>
      reject(new ChatRequestError(CLIENT_ERRORS.network, "Cannot reach the support server", true));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });

const objectUrls = new Map<string, Promise<string>>();

/** A URL the page can show or download, for an attachment of a room the viewer may read. */
export const attachmentUrl = (roomId: string, attachmentId: string): Promise<string> => {
  const key = `${roomId}/${attachmentId}`;
  let url = objectUrls.get(key);
  if (!url) {
    url = (async () => {
      const token = gatewayToken();
      const response = await fetch(
        apiUrl(`${attachmentsPath(roomId)}/${encodeURIComponent(attachmentId)}`),
        { headers: token ? { Authorization: `Bearer ${token}` } : {} },
      );
      if (!response.ok) throw new ChatRequestError(`HTTP_${response.status}`, "Not available");
      return URL.createObjectURL(await response.blob());
    })();
    url.catch(() => objectUrls.delete(key));
    objectUrls.set(key, url);
  }
  return url;
};

/** Saves an attachment under its name, through the same authorized fetch. */
export const saveAttachment = async (roomId: string, a: AttachmentDescriptor): Promise<void> => {
  const link = document.createElement("a");
  link.href = await attachmentUrl(roomId, a.id);
  link.download = a.name;
  link.click();
};

export const sizeLabel = (bytes: number): string =>
  bytes < 1024
    ? t("chat.bytes", { size: n(bytes, "integer") })
    : bytes < 1024 * 1024
      ? t("chat.kilobytes", { size: n(bytes / 1024, "integer") })
      : t("chat.megabytes", { size: n(bytes / (1024 * 1024), "decimal") });
