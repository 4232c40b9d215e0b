/** The ways a new chat gets an agent's attention besides the list itself. */

let audio: AudioContext | null = null;

/** A short two-tone beep made with WebAudio, so no sound file has to be shipped. */
export const beep = (): void => {
  try {
    const Context = globalThis.AudioContext;
    if (!Context) return;
    audio ??= new Context();
    const now = audio.currentTime;
    const gain = audio.createGain();
    gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.25, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.35);
    for (const [frequency, start] of [
      [880, 0],
      [1320, 0.12],
    ] as const) {
      const tone = audio.createOscillator();
      tone.type = "sine";
      tone.frequency.setValueAtTime(frequency, now + start);
      tone.connect(gain);
      tone.start(now + start);
      tone.stop(now + start + 0.2);
    }
  } catch {
    // Browsers refuse audio before the first click on the page; the other signals remain.
  }
};

export type NotificationAccess = "granted" | "denied" | "default" | "unsupported";

export const notificationAccess = (): NotificationAccess =>
  typeof Notification === "undefined" ? "unsupported" : Notification.permission;

export const askNotificationAccess = async (): Promise<NotificationAccess> => {
  if (typeof Notification === "undefined") return "unsupported";
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
};

/** A desktop notification, when the agent allowed them; clicking it focuses the console. */
export const notifyDesktop = (title: string, body: string, tag: string, onClick?: () => void) => {
  if (notificationAccess() !== "granted") return;
  try {
    const notification = new Notification(title, { body, tag });
    notification.onclick = () => {
      globalThis.focus?.();
      onClick?.();
      notification.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker; the list still shows it.
  }
};
