import { randomUUID } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Router, type RequestHandler } from "express";
import { DomainError, Uuid, type StoredAttachment } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { contentDispositionOf, type AttachmentRules } from "../../domain/attachment-rules.js";
import { actorOf, bearerTokenOf } from "../../domain/principal.js";
import { assertDeclaredLength, receiveUpload } from "../attachments/receive-upload.js";
import type { TokenVerifier } from "../auth/token-verifier.js";
import type { ChatClient } from "../bus/chat-client.js";
import { outcomeOf, type GatewayMetrics } from "../metrics/gateway-metrics.js";
import type { RateLimits } from "../redis/rate-limits.js";
import type { ObjectStore } from "../storage/object-store.js";
import { sendError, type signedInEndpoint, type SignedInCaller } from "./endpoint.js";
import { roomIdOf } from "./input.js";
import { correlationIdOfResponse } from "./request-context.js";

export type AttachmentRoutesDeps = {
  endpoint: ReturnType<typeof signedInEndpoint>;
  chat: ChatClient;
  limits: RateLimits;
  store: ObjectStore;
  rules: AttachmentRules;
  verify: TokenVerifier;
  metrics: GatewayMetrics;
  log: Logger;
};

const attachmentIdOf = (params: Record<string, string | string[] | undefined>): string => {
  const parsed = Uuid.safeParse(params["attachmentId"]);
  if (!parsed.success) {
    throw new DomainError("VALIDATION_FAILED", "the attachment id in the path must be a UUID");
  }
  return parsed.data;
};

/**
 * Checks, before a byte is read, that the caller may post in the room: its customer or support
 * staff, and the room not closed. The chat service decides again when it records the upload.
 */
const assertMayPost = async (chat: ChatClient, roomId: string, caller: SignedInCaller) => {
  const room = await chat.query("getRoom", { roomId }, caller);
  if (room.status === "closed") throw new DomainError("ROOM_CLOSED", `room ${roomId} is closed`);
};

const upload = (deps: AttachmentRoutesDeps) =>
  deps.endpoint("uploadAttachment", async (req, caller) => {
    const roomId = roomIdOf(req.params);
    await deps.limits.message(caller.principal.id);
    await assertMayPost(deps.chat, roomId, caller);
    assertDeclaredLength(req, deps.rules);
    const attachmentId = randomUUID();
    try {
      const file = await receiveUpload(req, {
        key: attachmentId,
        rules: deps.rules,
        store: deps.store,
      });
      const body = await deps.chat.command(
        "recordAttachment",
        {
          roomId,
          attachmentId,
          name: file.name,
          contentType: file.contentType,
          size: file.size,
          sha256: file.sha256,
        },
        caller,
      );
      return { status: 201, body };
    } catch (e) {
      // Whatever was refused or failed, no bytes of it stay behind.
      await deps.store.delete(attachmentId).catch((err: unknown) => {
        deps.log.warn({ err, attachmentId }, "could not remove a refused upload");
      });
      throw e;
    }
  });

const headersFor = (attachment: StoredAttachment, size: number): Record<string, string> => ({
  "Content-Type": attachment.contentType,
  "Content-Length": String(size),
  "Content-Disposition": contentDispositionOf(attachment.name, attachment.contentType),
  "X-Content-Type-Options": "nosniff",
  // Only the signed-in browser may keep it; the bytes of an id never change.
  "Cache-Control": "private, max-age=86400, immutable",
  ETag: `"${attachment.sha256}"`,
  // Opened on its own, the file can run nothing and load nothing.
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
});

/**
 * Streams the bytes to someone who may read the room. The download is not JSON, so this is
 * its own handler; its refusals are the usual JSON errors.
 */
const download =
  (deps: AttachmentRoutesDeps): RequestHandler =>
  (req, res) => {
    const route = "downloadAttachment";
    const run = async () => {
      const principal = deps.verify(bearerTokenOf(req.get("authorization")));
      const caller = {
        principal,
        actor: actorOf(principal),
        correlationId: correlationIdOfResponse(res),
      };
      const roomId = roomIdOf(req.params);
      const attachmentId = attachmentIdOf(req.params);
      const attachment = await deps.chat.query("getAttachment", { roomId, attachmentId }, caller);
      if (req.get("if-none-match") === `"${attachment.sha256}"`) {
        res.status(304).set(headersFor(attachment, attachment.size)).removeHeader("Content-Length");
        res.end();
        return;
      }
      const object = await deps.store.get(attachmentId);
      if (!object) {
        deps.log.error({ roomId, attachmentId }, "attachment recorded but its bytes are missing");
        throw new DomainError("NOT_FOUND", "the attachment's content is no longer available");
      }
      res.status(200).set(headersFor(attachment, object.size));
      if (req.method === "HEAD") {
        object.body.destroy();
        res.end();
        return;
      }
      await pipeline(object.body, res);
    };
    run().then(
      () => deps.metrics.restRequests.inc({ route, outcome: outcomeOf() }),
      (e: unknown) => {
        if (res.headersSent) {
          // The client went away mid-download, or the store failed mid-stream: nothing to answer.
          res.destroy();
          deps.metrics.restRequests.inc({ route, outcome: "ABORTED" });
          return;
        }
        sendError(res, e, deps.log);
        deps.metrics.restRequests.inc({ route, outcome: outcomeOf(e) });
      },
    );
  };

/** `POST /chat/room/:id/attachments` (multipart) and `GET /chat/room/:id/attachments/:attachmentId`. */
export const attachmentRoutes = (deps: AttachmentRoutesDeps) =>
  Router()
    .post("/chat/room/:id/attachments", upload(deps))
    .get("/chat/room/:id/attachments/:attachmentId", download(deps));
