import { Router } from "express";
import { normalizeLabel, SearchQuery } from "@support-chat/contracts";
import { requireSupportRole } from "../../domain/principal.js";
import type { ChatClient } from "../bus/chat-client.js";
import type { signedInEndpoint } from "./endpoint.js";
import { parseInput } from "./input.js";

export type SearchRoutesDeps = {
  endpoint: ReturnType<typeof signedInEndpoint>;
  chat: ChatClient;
};

/**
 * `GET /chat/support/search?q=&label=&limit=&offset=`: support staff search every
 * conversation. Results carry plain-text snippets with highlight offsets, never markup.
 */
export const searchRoutes = ({ endpoint, chat }: SearchRoutesDeps) =>
  Router().get(
    "/chat/support/search",
    endpoint("searchConversations", async (req, caller) => {
      requireSupportRole(caller.principal);
      const query = parseInput(SearchQuery, req.query, "search");
      const results = await chat.query(
        "searchConversations",
        {
          text: query.q,
          label: query.label === undefined ? undefined : normalizeLabel(query.label),
          limit: query.limit,
          offset: query.offset,
        },
        caller,
      );
      return {
        body: results.results,
        headers: { "X-Has-More": String(results.hasMore) },
      };
    }),
  );
