import { Router } from "express";
import {
  DomainError,
  RateRoomBody,
  TranscriptAtCloseBody,
  TranscriptBody,
} from "@support-chat/contracts";
import type { Principal } from "../../domain/principal.js";
import type { ChatClient } from "../bus/chat-client.js";
import type { MailFeaturesSource } from "../bus/mail-features.js";
import type { signedInEndpoint } from "./endpoint.js";
import { parseInput, roomIdOf } from "./input.js";

export type FeedbackRoutesDeps = {
  endpoint: ReturnType<typeof signedInEndpoint>;
  chat: ChatClient;
  mailFeatures: MailFeaturesSource;
};

/** The address given, else the one the customer's token vouches for. */
const addressFor = (given: string | undefined, principal: Principal): string => {
  const email = given ?? principal.email;
  if (email === undefined) {
    throw new DomainError("VALIDATION_FAILED", "give the e-mail address to send the transcript to");
  }
  return email;
};

const assertTranscriptsOn = async (mailFeatures: MailFeaturesSource) => {
  if (!(await mailFeatures()).transcripts) {
    throw new DomainError("UNAVAILABLE", "transcripts by e-mail are not available here");
  }
};

/**
 * The customer's feedback on their room: a rating once it closed, and its transcript by e-mail
 * (now, or when the chat ends). Who may do what is the chat service's decision.
 */
export const feedbackRoutes = ({ endpoint, chat, mailFeatures }: FeedbackRoutesDeps) =>
  Router()
    .get(
      "/chat/features",
      endpoint("mailFeatures", async () => ({ body: await mailFeatures() })),
    )
    .post(
      "/chat/room/:id/rating",
      endpoint("rateRoom", async (req, caller) => {
        const roomId = roomIdOf(req.params);
        const { score, comment } = parseInput(RateRoomBody, req.body, "rating");
        return {
          status: 201,
          body: await chat.command("rateRoom", { roomId, score, comment }, caller),
        };
      }),
    )
    .post(
      "/chat/room/:id/transcript",
      endpoint("requestTranscript", async (req, caller) => {
        const roomId = roomIdOf(req.params);
        const body = parseInput(TranscriptBody, req.body ?? {}, "transcript request");
        const email = addressFor(body.email, caller.principal);
        await assertTranscriptsOn(mailFeatures);
        return {
          status: 202,
          body: await chat.command("requestTranscript", { roomId, email }, caller),
        };
      }),
    )
    .put(
      "/chat/room/:id/transcript-at-close",
      endpoint("setTranscriptAtClose", async (req, caller) => {
        const roomId = roomIdOf(req.params);
        const body = parseInput(TranscriptAtCloseBody, req.body, "transcript opt-in");
        const email = body.enabled ? addressFor(body.email, caller.principal) : null;
        if (email !== null) await assertTranscriptsOn(mailFeatures);
        return { body: await chat.command("setTranscriptAtClose", { roomId, email }, caller) };
      }),
    );
