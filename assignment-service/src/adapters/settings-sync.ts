import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { Subjects } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import { z } from "zod";
import { onSettings } from "../domain/state.js";
import type { LiveState } from "./live-state.js";
import type { AgentStore } from "./store/agent-store.js";
import { decodeWith, encodeJson } from "./wire.js";

/** Between replicas of this service only; not part of the contracts other services use. */
const settingsSubject = (subjects: Subjects) => `${subjects.namespace}.assign.internal.settings`;

const SettingsChanged = z.object({ agentId: z.string().min(1), origin: z.string().min(1) });

/**
 * A replica that changed an agent's settings tells the others, which read the row back from
 * the database (the database, not the notice, is the truth, so notices may race freely).
 */
export const createSettingsSync = (opts: {
  nc: NatsConnection;
  subjects: Subjects;
  replicaId: string;
  store: AgentStore;
  live: LiveState;
  log: Logger;
}) => {
  const { nc, subjects, replicaId, store, live, log } = opts;
  const reload = async (agentId: string) => {
    const settings = await store.settingsOf(agentId);
    if (settings) live.update((s, now) => onSettings(s, agentId, settings, now, live.rules));
  };
  const subscription: Subscription = nc.subscribe(settingsSubject(subjects), {
    callback: (err, msg) => {
      if (err) return log.error({ err }, "settings subscription failed");
      const decoded = decodeWith(SettingsChanged, msg.data);
      if (!decoded.ok || decoded.value.origin === replicaId) return;
      reload(decoded.value.agentId).catch((e: unknown) =>
        log.warn({ err: e, agentId: decoded.value.agentId }, "could not reload agent settings"),
      );
    },
  });
  return {
    subscription,
    announce: (agentId: string) =>
      nc.publish(settingsSubject(subjects), encodeJson({ agentId, origin: replicaId })),
    /** Every agent's settings from the database (at start and when taking over). */
    loadAll: async () => {
      const all = await store.allSettings();
      live.update((s, now) =>
        [...all].reduce(
          (state, [agentId, settings]) => onSettings(state, agentId, settings, now, live.rules),
          s,
        ),
      );
    },
  };
};

export type SettingsSync = ReturnType<typeof createSettingsSync>;
