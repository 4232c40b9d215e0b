import type { MailFeatures, RoomRating } from "@support-chat/contracts";
import { call } from "./api.js";

export type TranscriptRequested = { roomId: string; requestId: string; email: string };
export type TranscriptAtClose = { roomId: string; email: string | null };

/** Ratings and transcripts: the customer's feedback on their own room. */
const roomPath = (roomId: string) => `/chat/room/${encodeURIComponent(roomId)}`;

export const feedbackApi = {
  /** Which e-mail features this installation has on; off when it cannot tell. */
  mailFeatures: async (): Promise<MailFeatures> =>
    (await call<MailFeatures>("GET", "/chat/features")).data,

  rate: async (roomId: string, score: number, comment: string): Promise<RoomRating> =>
    (
      await call<RoomRating>("POST", `${roomPath(roomId)}/rating`, {
        score,
        comment: comment.trim() ? comment : null,
      })
    ).data,

  /** Without an address, the one the storefront's sign-in vouches for is used. */
  requestTranscript: async (roomId: string, email: string | null) =>
    (
      await call<TranscriptRequested>(
        "POST",
        `${roomPath(roomId)}/transcript`,
        email ? { email } : {},
      )
    ).data,

  setTranscriptAtClose: async (roomId: string, enabled: boolean, email: string | null) =>
    (
      await call<TranscriptAtClose>(
        "PUT",
        `${roomPath(roomId)}/transcript-at-close`,
        email ? { enabled, email } : { enabled },
      )
    ).data,
};
