import { escapeHtml, escapeMultiline, htmlDocument, type Email } from "./html.js";

/** What the gateways' presence records say about a customer (see `customerPresenceKeys`). */
export type CustomerPresence = Readonly<{
  /** A socket of theirs is open on a gateway that is alive. */
  connected: boolean;
  /** When their latest socket connected (epoch ms); null when never seen. */
  connectedAt: number | null;
  /** Since when they have had no socket (epoch ms); null when unknown (never seen). */
  awaySince: number | null;
  /** The verified address from their token, if the storefront sent one. */
  email: string | null;
}>;

export type OfflineNoticeRules = Readonly<{ afterMs: number }>;

export type OfflineNoticeDecision =
  | Readonly<{ send: true; burst: string }>
  | Readonly<{ send: false; reason: "from-customer" | "connected" | "recently-away" }>;

/**
 * Whether a support reply written at `repliedAt` should send the customer a notice: only when,
 * by then, they had had no socket for at least `afterMs` (and still have none). `burst` names the stretch of absence: one notice per burst is kept by
 * claiming the key `(room, burst)` once; the customer's next connection starts a new burst.
 */
export const decideOfflineNotice = (
  reply: Readonly<{ isFromSupport: boolean }>,
  presence: CustomerPresence,
  repliedAt: number,
  rules: OfflineNoticeRules,
): OfflineNoticeDecision => {
  if (!reply.isFromSupport) return { send: false, reason: "from-customer" };
  if (presence.connected) return { send: false, reason: "connected" };
  if (presence.awaySince !== null && repliedAt - presence.awaySince < rules.afterMs) {
    return { send: false, reason: "recently-away" };
  }
  return { send: true, burst: String(presence.connectedAt ?? 0) };
};

const EXCERPT_MAX = 300;

/** The first words of the reply, so the notice says something without being the chat. */
export const excerptOf = (message: string): string => {
  const chars = [...message.trim()];
  return chars.length <= EXCERPT_MAX ? chars.join("") : `${chars.slice(0, EXCERPT_MAX).join("")}…`;
};

export const offlineNoticeEmail = (
  reply: Readonly<{ agentName: string; message: string }>,
  chatUrl: string,
): Email => {
  const title = "Support replied to your chat";
  const excerpt = excerptOf(reply.message);
  const said = excerpt ? `:` : ".";
  const text = [
    `${reply.agentName} replied to your support chat${said}`,
    ...(excerpt ? ["", excerpt] : []),
    "",
    `Continue the conversation: ${chatUrl}`,
    "",
    "You get this notice because you were away when the reply came; we send one until you are back.",
  ].join("\n");
  const body = [
    `<p>${escapeHtml(reply.agentName)} replied to your support chat${said}</p>`,
    excerpt ? `<blockquote>${escapeMultiline(excerpt)}</blockquote>` : "",
    `<p><a href="${escapeHtml(chatUrl)}">Continue the conversation</a></p>`,
  ].join("");
  return {
    subject: `${reply.agentName} replied to your support chat`,
    text,
    html: htmlDocument(
      title,
      body,
      "You get this notice because you were away when the reply came; we send one until you are back.",
    ),
  };
};

/** The link back: the storefront with the widget asked to open. */
export const chatLink = (publicWebUrl: string): string => {
  const url = new URL(publicWebUrl);
  url.hash = "support-chat";
  return url.toString();
};
