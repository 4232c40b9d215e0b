import { Router } from "express";
import {
  MarkReadBody,
  MessagesQuery,
  normalizeMessageBody,
  PostMessageBody,
  UserId,
} from "@support-chat/contracts";
import { z } from "zod";
import { assertClaimedIdentity } from "../../domain/identity.js";
import type { RateLimits } from "../redis/rate-limits.js";
import type { AssignmentClient } from "../bus/assignment-client.js";
import type { ChatClient } from "../bus/chat-client.js";
import type { signedInEndpoint } from "./endpoint.js";
import { parseInput, roomIdOf } from "./input.js";

/** The seed's clients may send who they claim to be; it is checked against the token. */
const PostMessageRequest = PostMessageBody.extend({
  senderId: UserId.optional(),
  isFromSupport: z.boolean().optional(),
});

export type RoomRoutesDeps = {
  endpoint: ReturnType<typeof signedInEndpoint>;
  chat: ChatClient;
  assignment: AssignmentClient;
  limits: RateLimits;
  messageMaxLength: number;
};

/** A customer's own room, and any room for agents (the chat service decides who may see what). */
export const roomRoutes = ({
  endpoint,
  chat,
  assignment,
  limits,
  messageMaxLength,
}: RoomRoutesDeps) =>
  Router()
    .get(
      "/chat/room",
      endpoint("openRoom", async (_req, caller) => ({
        body: await chat.command("openRoom", {}, caller),
      })),
    )
    .get(
      "/chat/room/:id",
      endpoint("getRoom", async (req, caller) => ({
        body: await chat.query("getRoom", { roomId: roomIdOf(req.params) }, caller),
      })),
    )
    .get(
      "/chat/room/:id/queue",
      endpoint("queuePosition", async (req, caller) => {
        const roomId = roomIdOf(req.params);
        // The chat service says whether the room exists and whether the caller may see it;
        // the assignment service only knows the rooms that are waiting or open.
        await chat.query("getRoom", { roomId }, caller);
        return { body: await assignment.query("queuePosition", { roomId }, caller) };
      }),
    )
    .get(
      "/chat/room/:id/messages",
      endpoint("listMessages", async (req, caller) => {
        const roomId = roomIdOf(req.params);
        const query = parseInput(MessagesQuery, req.query, "query");
        const page = await chat.query("listMessages", { roomId, ...query }, caller);
        return {
          body: page.messages,
          headers: { "X-Has-More": String(page.hasMore), "X-Last-Seq": String(page.lastSeq) },
        };
      }),
    )
    .post(
      "/chat/room/:id/messages",
      endpoint("postMessage", async (req, caller) => {
        const roomId = roomIdOf(req.params);
        const body = parseInput(PostMessageRequest, req.body, "message");
        assertClaimedIdentity(caller.principal, body);
        const { attachments } = body;
        const message = normalizeMessageBody(
          body.message,
          messageMaxLength,
          attachments?.length ?? 0,
        );
        await limits.message(caller.principal.id);
        const result = await chat.command(
          "postMessage",
          { roomId, clientMessageId: body.clientMessageId, message, attachments },
          caller,
        );
        return { status: result.duplicate ? 200 : 201, body: result.message };
      }),
    )
    .post(
      "/chat/room/:id/read",
      endpoint("markRead", async (req, caller) => {
        const roomId = roomIdOf(req.params);
        const { upToSeq } = parseInput(MarkReadBody, req.body, "read receipt");
        return { body: await chat.command("markRead", { roomId, upToSeq }, caller) };
      }),
    )
    .post(
      "/chat/room/:id/close",
      endpoint("closeRoom", async (req, caller) => ({
        body: await chat.command("closeRoom", { roomId: roomIdOf(req.params) }, caller),
      })),
    );
