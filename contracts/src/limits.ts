/** Defaults shared by the services and the web app; the services let operators override them. */
export const LIMITS = {
  /** Characters in one message after trimming (MESSAGE_MAX_LENGTH). */
  messageMaxLength: 2000,
  /** Messages returned by one page of GET /chat/room/:id/messages when no limit is given. */
  messagePageDefault: 50,
  /** The largest page a client may ask for. */
  messagePageMax: 200,
  /** Rooms returned by GET /chat/support/rooms when no limit is given, and the most it returns. */
  roomListDefault: 100,
  roomListMax: 500,
} as const;
