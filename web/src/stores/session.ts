import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { Role } from "@support-chat/contracts";
import { api } from "../services/api.js";
import { setGatewayToken } from "../services/gateway.js";
import { readStoredJson, writeStored } from "../services/storage.js";
import { socketService } from "../services/socket.js";

export interface SessionUser {
  id: string;
  name: string;
  role: Role;
}

interface StoredSession {
  token: string;
  user: SessionUser;
  expiresAt: string;
}

const STORAGE_KEY = "session";
const SUPPORT_ROLES: readonly Role[] = ["agent", "manager", "admin"];

/** Reads the claims of a token issued by the storefront, only to show who is signed in. */
const claimsOf = (token: string): StoredSession | null => {
  try {
    const part = token.split(".")[1] ?? "";
    const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as Record<string, unknown>;
    const { sub, name, role, exp } = claims;
    if (typeof sub !== "string" || typeof role !== "string") return null;
    return {
      token,
      user: { id: sub, name: typeof name === "string" ? name : sub, role: role as Role },
      expiresAt: new Date(
        typeof exp === "number" ? exp * 1000 : Date.now() + 3600_000,
      ).toISOString(),
    };
  } catch {
    return null;
  }
};

/** Who is signed in. The token is kept in localStorage so a reload keeps the session. */
export const useSessionStore = defineStore("session", () => {
  const current = ref<StoredSession | null>(null);

  const adopt = (session: StoredSession | null, persist: boolean) => {
    const usable = session && Date.parse(session.expiresAt) > Date.now() ? session : null;
    current.value = usable;
    setGatewayToken(usable?.token ?? null);
    if (persist) writeStored(STORAGE_KEY, usable ? JSON.stringify(usable) : null);
  };

  adopt(readStoredJson<StoredSession>(STORAGE_KEY), false);

  const user = computed(() => current.value?.user ?? null);
  const token = computed(() => current.value?.token ?? null);
  const signedIn = computed(() => current.value !== null);
  const isSupport = computed(() => !!user.value && SUPPORT_ROLES.includes(user.value.role));
  const isManager = computed(() => user.value?.role === "manager" || user.value?.role === "admin");
  const isCustomer = computed(() => user.value?.role === "customer");

  /** Local development: the gateway's dev token endpoint (only when it is switched on). */
  const signInDev = async (name: string, role: Role): Promise<SessionUser> => {
    const signed = await api.devToken(name, role);
    adopt(signed, true);
    return signed.user;
  };

  /** The embeddable widget: the storefront hands us its token; nothing is stored. */
  const useToken = (tokenValue: string): boolean => {
    adopt(claimsOf(tokenValue), false);
    return current.value !== null;
  };

  const signOut = () => {
    socketService.disconnect();
    adopt(null, true);
  };

  /** The gateway refused the token (expired or revoked): forget it. */
  const expire = () => {
    if (current.value) signOut();
  };

  return {
    user,
    token,
    signedIn,
    isSupport,
    isManager,
    isCustomer,
    signInDev,
    useToken,
    signOut,
    expire,
  };
});
