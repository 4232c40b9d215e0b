import type { ChatMessage, ChatRoom } from "@support-chat/contracts";

export const ROOM_ID = "8a1f3c52-5b8e-4d7e-9a51-0c4e2f6b7d10";
export const OTHER_ROOM_ID = "1c7d2e90-3f4a-4b5c-8d6e-7f8091a2b3c4";
export const CUSTOMER = { id: "cust-1", name: "Clara", role: "customer" as const };
export const AGENT = { id: "agent-1", name: "Alex", role: "agent" as const };

const at = (seq: number) => new Date(Date.UTC(2025, 0, 1, 10, 0, seq)).toISOString();

export const aRoom = (overrides: Partial<ChatRoom> = {}): ChatRoom => ({
  id: ROOM_ID,
  userId: CUSTOMER.id,
  supportAgentId: null,
  status: "waiting",
  lastMessage: null,
  unreadCount: 0,
  createdAt: at(0),
  updatedAt: at(0),
  userName: CUSTOMER.name,
  supportAgentName: null,
  lastSeq: 0,
  lastMessageAt: null,
  closedAt: null,
  ...overrides,
});

/** A message with the given seq; from the agent unless `fromCustomer`. */
export const aMessage = (
  seq: number,
  overrides: Partial<ChatMessage> & { fromCustomer?: boolean } = {},
): ChatMessage => {
  const { fromCustomer = false, ...rest } = overrides;
  const sender = fromCustomer ? CUSTOMER : AGENT;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    chatRoomId: ROOM_ID,
    senderId: sender.id,
    message: `message ${seq}`,
    isRead: false,
    isFromSupport: !fromCustomer,
    createdAt: at(seq),
    seq,
    clientMessageId: `cmid-${seq}`,
    senderName: sender.name,
    senderRole: sender.role,
    ...rest,
  };
};

export const pushOf = (m: ChatMessage) => ({ ...m, roomId: m.chatRoomId });

/** A token the widget can read the claims of (not signed: the gateway verifies tokens). */
export const unsignedToken = (claims: Record<string, unknown>): string => {
  const part = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}.signature`;
};

export const signIn = (user: { id: string; name: string; role: string }) => {
  localStorage.setItem(
    "support-chat:session",
    JSON.stringify({
      token: unsignedToken({ sub: user.id, name: user.name, role: user.role }),
      user,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    }),
  );
};
