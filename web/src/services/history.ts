import type { ChatMessage } from "@support-chat/contracts";
import { api } from "./api.js";

/** Reading a room's messages from the server, page by page, always by seq. */

export const PAGE_SIZE = 50;
const CATCH_UP_PAGE = 200;
/** A bound on one catch-up, so a runaway loop cannot hammer the gateway. */
const CATCH_UP_MAX_PAGES = 50;

export const latestPage = async (roomId: string) => {
  const page = await api.messages(roomId, {}, PAGE_SIZE);
  return { messages: page.messages, hasOlder: page.hasMore };
};

export const olderPage = async (roomId: string, beforeSeq: number) => {
  const page = await api.messages(roomId, { before: beforeSeq }, PAGE_SIZE);
  return { messages: page.messages, hasOlder: page.hasMore };
};

/** Everything after `afterSeq`, in order: what a reconnect or a gap in seq has missed. */
export const messagesAfter = async (roomId: string, afterSeq: number): Promise<ChatMessage[]> => {
  const all: ChatMessage[] = [];
  let after = afterSeq;
  for (let i = 0; i < CATCH_UP_MAX_PAGES; i++) {
    const page = await api.messages(roomId, { after }, CATCH_UP_PAGE);
    all.push(...page.messages);
    const last = page.messages.at(-1);
    if (!page.hasMore || !last) break;
    after = last.seq;
  }
  return all;
};
