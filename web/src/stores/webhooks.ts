import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type {
  CreateWebhookBody,
  UpdateWebhookBody,
  WebhookDelivery,
  WebhookSubscription,
} from "@support-chat/contracts";
import { t } from "../i18n/text.js";
import { errorMessage } from "../services/errors.js";
import { webhooksApi } from "../services/webhooks-api.js";

/**
 * The webhooks page: the endpoints managers registered and, for the one opened, its recent
 * deliveries. Server objects are replaced, never changed in place.
 */
export const useWebhooksStore = defineStore("webhooks", () => {
  const webhooks = ref<WebhookSubscription[]>([]);
  const openId = ref<string | null>(null);
  const deliveries = ref<WebhookDelivery[]>([]);
  const loading = ref(false);
  const problem = ref<string | null>(null);
  /** What the last action did, for the status line ("Test event queued"). */
  const notice = ref<string | null>(null);

  const opened = computed(() => webhooks.value.find((w) => w.id === openId.value) ?? null);

  /** Runs an action; a refusal shows its message and leaves the list as it was. */
  const attempt = async <T>(run: () => Promise<T>, done?: string): Promise<T | undefined> => {
    problem.value = null;
    notice.value = null;
    try {
      const result = await run();
      if (done) notice.value = done;
      return result;
    } catch (e) {
      problem.value = errorMessage(e);
      return undefined;
    }
  };

  const replace = (updated: WebhookSubscription) => {
    webhooks.value = webhooks.value.map((w) => (w.id === updated.id ? updated : w));
  };

  const load = async () => {
    loading.value = true;
    const list = await attempt(() => webhooksApi.list());
    if (list) webhooks.value = list;
    loading.value = false;
  };

  const loadDeliveries = async () => {
    const id = openId.value;
    if (!id) return;
    const list = await attempt(() => webhooksApi.deliveries(id));
    if (list && openId.value === id) deliveries.value = list;
  };

  const open = async (id: string | null) => {
    openId.value = id;
    deliveries.value = [];
    await loadDeliveries();
  };

  /** Resolves true when the webhook was created. */
  const create = async (body: CreateWebhookBody): Promise<boolean> => {
    const created = await attempt(() => webhooksApi.create(body), t("webhooks.created"));
    if (!created) return false;
    webhooks.value = [...webhooks.value, created];
    return true;
  };

  const update = async (id: string, changes: UpdateWebhookBody): Promise<boolean> => {
    const updated = await attempt(() => webhooksApi.update(id, changes), t("webhooks.saved"));
    if (updated) replace(updated);
    return updated !== undefined;
  };

  const remove = async (id: string) => {
    const done = await attempt(async () => {
      await webhooksApi.remove(id);
      return true;
    }, t("webhooks.deleted"));
    if (!done) return;
    webhooks.value = webhooks.value.filter((w) => w.id !== id);
    if (openId.value === id) await open(null);
  };

  const rotateSecret = async (id: string) => {
    const updated = await attempt(() => webhooksApi.rotateSecret(id), t("webhooks.rotated"));
    if (updated) replace(updated);
  };

  const sendTest = async (id: string) => {
    const queued = await attempt(() => webhooksApi.sendTest(id), t("webhooks.testQueued"));
    if (queued && openId.value === id) deliveries.value = [queued, ...deliveries.value];
  };

  return {
    webhooks,
    openId,
    opened,
    deliveries,
    loading,
    problem,
    notice,
    load,
    open,
    loadDeliveries,
    create,
    update,
    remove,
    rotateSecret,
    sendTest,
  };
});
