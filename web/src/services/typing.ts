/**
 * Typing indicators are cheap to send but not free: one `typing: true` when someone starts,
 * refreshed while they keep typing, and one `typing: false` after a short silence or on send.
 */
export const TYPING_IDLE_MS = 2500;
export const TYPING_REFRESH_MS = 3000;
/** How long a received indicator stays on without a refresh (the sender may have vanished). */
export const TYPING_SHOWN_MS = 6000;

export interface TypingSender {
  /** Call on every keystroke. */
  input(): void;
  /** Call on send, blur or leaving the conversation. */
  stop(): void;
}

export const createTypingSender = (
  send: (isTyping: boolean) => void,
  options: { idleMs?: number; refreshMs?: number } = {},
): TypingSender => {
  const idleMs = options.idleMs ?? TYPING_IDLE_MS;
  const refreshMs = options.refreshMs ?? TYPING_REFRESH_MS;
  let typing = false;
  let lastSentAt = 0;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  const stop = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (!typing) return;
    typing = false;
    send(false);
  };

  const input = () => {
    const now = Date.now();
    if (!typing || now - lastSentAt >= refreshMs) {
      typing = true;
      lastSentAt = now;
      send(true);
    }
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(stop, idleMs);
  };

  return { input, stop };
};
