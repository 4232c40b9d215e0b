import type { CannedResponse } from "@support-chat/contracts";
import type { CannedDraft } from "../domain/canned.js";
import { call } from "./api.js";

const PATH = "/chat/support/canned-responses";
const itemPath = (id: string) => `${PATH}/${encodeURIComponent(id)}`;

/** The gateway's canned-response routes; errors are ChatRequestErrors, as for every call. */
export const cannedApi = {
  list: async (): Promise<CannedResponse[]> => (await call<CannedResponse[]>("GET", PATH)).data,

  create: async (draft: CannedDraft): Promise<CannedResponse> =>
    (await call<CannedResponse>("POST", PATH, draft)).data,

  /** `version` is the one the edit was made on; a newer one on the server is a CONFLICT. */
  edit: async (id: string, version: number, draft: CannedDraft): Promise<CannedResponse> =>
    (await call<CannedResponse>("PUT", itemPath(id), { version, ...draft })).data,

  remove: async (id: string, version: number): Promise<{ id: string; version: number }> =>
    (await call<{ id: string; version: number }>("DELETE", `${itemPath(id)}?version=${version}`))
      .data,
};
