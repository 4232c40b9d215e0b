import { defineStore } from "pinia";
import { ref } from "vue";
import type { SearchHit } from "@support-chat/contracts";
import { agentToolsApi } from "../services/agent-tools-api.js";
import { errorMessage } from "../services/errors.js";

const PAGE = 20;

/** The console's search over every conversation (text, customer name, label). */
export const useConsoleSearchStore = defineStore("consoleSearch", () => {
  const query = ref("");
  const results = ref<SearchHit[]>([]);
  const hasMore = ref(false);
  const loading = ref(false);
  const searched = ref(false);
  const error = ref<string | null>(null);
  let asked = "";

  const page = async (offset: number) => {
    loading.value = true;
    try {
      const found = await agentToolsApi.search(asked, { offset, limit: PAGE });
      results.value = offset === 0 ? found.results : [...results.value, ...found.results];
      hasMore.value = found.hasMore;
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
      searched.value = true;
    }
  };

  const run = async () => {
    asked = query.value.trim();
    if (!asked) return clear();
    await page(0);
  };

  const more = () => page(results.value.length);

  const clear = () => {
    query.value = "";
    asked = "";
    results.value = [];
    hasMore.value = false;
    searched.value = false;
    error.value = null;
  };

  return { query, results, hasMore, loading, searched, error, run, more, clear };
});
