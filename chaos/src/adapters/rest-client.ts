import { API_PREFIX, DomainError, RestError } from "@support-chat/contracts";

export type RestReply = { status: number; body: unknown; headers: Headers };

/**
 * REST as a browser would call it, with a timeout so a request into a dead process fails and
 * is retried instead of hanging the participant.
 */
export const restCall = async (
  baseUrl: string,
  token: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  timeoutMs = 4000,
): Promise<RestReply> => {
  const res = await fetch(`${baseUrl}${API_PREFIX}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
};

/** The error of a non-2xx reply, as the code the API gave (or the HTTP status when none). */
export const refusalOf = (reply: RestReply): DomainError => {
  const parsed = RestError.safeParse(reply.body);
  return parsed.success
    ? new DomainError(parsed.data.error.code as DomainError["code"], parsed.data.error.message)
    : new DomainError("INTERNAL", `HTTP ${reply.status}`);
};
