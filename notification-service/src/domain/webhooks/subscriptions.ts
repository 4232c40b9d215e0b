import { BlockList, isIP } from "node:net";
import {
  DomainError,
  isManagerRole,
  ROOM_EVENT_TYPES,
  type Actor,
  type WebhookEventType,
} from "@support-chat/contracts";

/** What the installation allows as a webhook URL (WEBHOOK_ALLOW_HTTP, WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
export type UrlPolicy = Readonly<{ allowHttp: boolean; allowPrivateNetworks: boolean }>;

/** Managers and admins run webhooks; nobody else may see or change them, secrets included. */
export const requireManager = (actor: Actor): void => {
  if (!isManagerRole(actor.role)) {
    throw new DomainError("FORBIDDEN", "only managers and admins may manage webhooks");
  }
};

/**
 * Addresses a webhook must not reach unless private networks are allowed: loopback, the
 * private and shared ranges, link-local (cloud metadata lives at 169.254.169.254), multicast,
 * reserved, and their IPv6 counterparts. Otherwise anyone who may register a webhook could
 * make our service call into the network it runs in.
 */
const privateRanges = (() => {
  const list = new BlockList();
  const v4: Array<[string, number]> = [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["224.0.0.0", 4],
    ["240.0.0.0", 4],
  ];
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, "ipv4");
  const v6: Array<[string, number]> = [
    ["::", 128],
    ["::1", 128],
    ["fc00::", 7],
    ["fe80::", 10],
    ["ff00::", 8],
    ["64:ff9b::", 96],
  ];
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, "ipv6");
  return list;
})();

/** True for an IP address a webhook may not reach by default (IPv4-mapped IPv6 included). */
export const isPrivateAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 4) return privateRanges.check(address, "ipv4");
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return privateRanges.check(mapped, "ipv4");
  return privateRanges.check(address, "ipv6");
};

const refuse = (message: string) => new DomainError("VALIDATION_FAILED", message);

/**
 * The URL as stored, or a clear refusal: https only (http only where the installation allows
 * it, for development), no credentials, and no loopback or private address written into it
 * (names that resolve to one are refused when the delivery is sent).
 */
export const checkWebhookUrl = (text: string, policy: UrlPolicy): string => {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw refuse("url: not an absolute URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowHttp)) {
    throw refuse(
      policy.allowHttp
        ? "url: must be http(s)"
        : "url: must start with https:// (plain http is refused)",
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw refuse("url: credentials in the URL are refused; verify the signature instead");
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const local = host === "localhost" || host.endsWith(".localhost") || isPrivateAddress(host);
  if (local && !policy.allowPrivateNetworks) {
    throw refuse("url: loopback and private network addresses are refused");
  }
  url.hash = "";
  return url.toString();
};

/** The chosen types once each, in the order the contract lists them. */
export const normalizeEventTypes = (types: readonly WebhookEventType[]): WebhookEventType[] =>
  ROOM_EVENT_TYPES.filter((t) => types.includes(t));

/** A new signing secret: 32 random bytes, prefixed so secret scanners recognise a leaked one. */
export const newSecret = (randomBytes: (n: number) => Uint8Array): string =>
  `whsec_${Buffer.from(randomBytes(32)).toString("base64url")}`;
