import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { CannedResponse, ServerEventPayload } from "@support-chat/contracts";
import type { CannedDraft } from "../domain/canned.js";
import { cannedApi } from "../services/canned-api.js";
import { errorMessage } from "../services/errors.js";

/**
 * The team's canned responses, kept current by the gateway's pushes. Each change carries the
 * response's version, so an answer and a push arriving in either order leave the newer one.
 */
export const useCannedResponsesStore = defineStore("canned-responses", () => {
  const byId = ref<Record<string, CannedResponse>>({});
  /** Versions at which responses were deleted: an older push must not bring one back. */
  const deletedAt = new Map<string, number>();
  const loaded = ref(false);
  const loadError = ref<string | null>(null);

  const responses = computed(() =>
    Object.values(byId.value).sort((a, b) => a.shortcut.localeCompare(b.shortcut)),
  );

  const keep = (response: CannedResponse) => {
    const current = byId.value[response.id];
    const gone = deletedAt.get(response.id) ?? 0;
    if ((current && current.version >= response.version) || gone >= response.version) return;
    byId.value = { ...byId.value, [response.id]: response };
  };

  const drop = (id: string, version: number) => {
    deletedAt.set(id, Math.max(version, deletedAt.get(id) ?? 0));
    const current = byId.value[id];
    if (!current || current.version >= version) return;
    const { [id]: _removed, ...rest } = byId.value;
    byId.value = rest;
  };

  const load = async () => {
    try {
      const list = await cannedApi.list();
      byId.value = Object.fromEntries(list.map((r) => [r.id, r]));
      loaded.value = true;
      loadError.value = null;
    } catch (e) {
      loadError.value = errorMessage(e);
    }
  };

  /** Saving and deleting throw the server's refusal; the form shows it. */
  const create = async (draft: CannedDraft): Promise<CannedResponse> => {
    const created = await cannedApi.create(draft);
    keep(created);
    return created;
  };

  const edit = async (response: CannedResponse, draft: CannedDraft): Promise<CannedResponse> => {
    const saved = await cannedApi.edit(response.id, response.version, draft);
    keep(saved);
    return saved;
  };

  const remove = async (response: CannedResponse): Promise<void> => {
    const { id, version } = await cannedApi.remove(response.id, response.version);
    drop(id, version);
  };

  const onChanged = (push: ServerEventPayload<"cannedResponseChanged">) => {
    if (push.change === "saved") keep(push.response);
    else drop(push.id, push.version);
  };

  return { responses, loaded, loadError, load, create, edit, remove, onChanged };
});
