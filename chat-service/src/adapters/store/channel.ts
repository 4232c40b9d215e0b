/** Relays LISTEN on this channel; every append notifies it when it commits. */
export const EVENTS_APPENDED_CHANNEL = "chat_events_appended";
