import { API_PREFIX, ChatRoom, MessagePage, RestError } from "@support-chat/contracts";

export type RestReply = { status: number; body: unknown; headers: Headers };

/** One REST call to the gateway as the holder of `token`. */
export const restCall = async (
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RestReply> => {
  const res = await fetch(`${baseUrl}${API_PREFIX}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
};

const failure = (what: string, reply: RestReply): Error => {
  const parsed = RestError.safeParse(reply.body);
  const detail = parsed.success
    ? `${parsed.data.error.code}: ${parsed.data.error.message}`
    : JSON.stringify(reply.body);
  return new Error(`${what} answered ${reply.status} (${detail})`);
};

const roomFrom = (what: string, reply: RestReply): ChatRoom => {
  if (reply.status !== 200) throw failure(what, reply);
  return ChatRoom.parse(reply.body);
};

/** The customer's open room (GET /chat/room gets or creates it). */
export const openRoom = async (baseUrl: string, customerToken: string): Promise<ChatRoom> =>
  roomFrom("GET /chat/room", await restCall(baseUrl, customerToken, "GET", "/chat/room"));

/** The agent takes the room from the queue. */
export const claimRoom = async (
  baseUrl: string,
  agentToken: string,
  roomId: string,
): Promise<ChatRoom> =>
  roomFrom(
    "POST /chat/support/room/:id/assign",
    await restCall(baseUrl, agentToken, "POST", `/chat/support/room/${roomId}/assign`),
  );

/** One page of `GET /chat/room/:id/messages?after=&limit=`, as the web client's catch-up reads it. */
export const messagesAfter = async (
  baseUrl: string,
  token: string,
  roomId: string,
  after: number,
  limit: number,
): Promise<{ page: MessagePage; bytes: number }> => {
  const res = await fetch(
    `${baseUrl}${API_PREFIX}/chat/room/${roomId}/messages?after=${after}&limit=${limit}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  const text = await res.text();
  if (res.status !== 200) {
    throw failure("GET /chat/room/:id/messages", {
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
      headers: res.headers,
    });
  }
  const messages = MessagePage.shape.messages.parse(JSON.parse(text));
  return {
    page: {
      messages,
      hasMore: res.headers.get("x-has-more") === "true",
      lastSeq: Number(res.headers.get("x-last-seq") ?? 0),
    },
    bytes: text.length,
  };
};
