/** localStorage that never throws (private mode, disabled storage, quota). */
const PREFIX = "support-chat:";

export const readStored = (key: string): string | null => {
  try {
    return globalThis.localStorage?.getItem(PREFIX + key) ?? null;
  } catch {
    return null;
  }
};

export const writeStored = (key: string, value: string | null): void => {
  try {
    if (value === null) globalThis.localStorage?.removeItem(PREFIX + key);
    else globalThis.localStorage?.setItem(PREFIX + key, value);
  } catch {
    // Storage is a convenience here; the server holds the truth.
  }
};

export const readStoredJson = <T>(key: string): T | null => {
  const raw = readStored(key);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
};
