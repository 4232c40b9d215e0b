import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isPrivateAddress } from "../../domain/webhooks/subscriptions.js";

export type SendResult = Readonly<{
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}>;

export type Sender = (request: {
  url: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<SendResult>;

/**
 * Resolves like the system resolver, but refuses a name that resolves to a loopback, private
 * or link-local address. It runs when the connection is made, so a name that resolved to a
 * public address when the webhook was saved cannot be pointed inside later (DNS rebinding).
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (err, addresses) => {
    if (err) return callback(err, "", 0);
    const list = addresses as LookupAddress[];
    const refused = list.find((a) => isPrivateAddress(a.address));
    if (refused || list.length === 0) {
      const why = refused ? `a private address (${refused.address})` : "no address";
      const error = Object.assign(new Error(`${hostname} resolves to ${why}; refused`), {
        code: "EWEBHOOKADDRESS",
      });
      return callback(error, "", 0);
    }
    if ((options as LookupOptions).all) return callback(null, list as never, 0);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};

const MAX_ERROR_LENGTH = 300;

const describeError = (err: unknown, timeoutMs: number): string => {
  const e = err as { name?: string; code?: string; message?: string };
  if (e.name === "TimeoutError" || e.name === "AbortError")
    return `no answer within ${timeoutMs} ms`;
  const text = [e.code, e.message].filter(Boolean).join(": ") || String(err);
  return text.slice(0, MAX_ERROR_LENGTH);
};

/**
 * POSTs with Node's own HTTP client: a timeout for the whole attempt, no redirects followed (a
 * 3xx is a failed attempt), and, unless private networks are allowed, no connection to a
 * private address whether written in the URL or resolved from a name. The response body is
 * read and thrown away; only the status matters.
 */
export const httpSender =
  (opts: { timeoutMs: number; allowPrivateNetworks: boolean; now?: () => number }): Sender =>
  async ({ url, headers, body }) => {
    const now = opts.now ?? performance.now.bind(performance);
    const started = now();
    const done = (statusCode: number | null, error: string | null): SendResult => ({
      statusCode,
      error,
      durationMs: Math.max(0, Math.round(now() - started)),
    });
    const target = new URL(url);
    const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
    if (!opts.allowPrivateNetworks && isIP(host) && isPrivateAddress(host)) {
      return done(null, `${host} is a private address; refused`);
    }
    const options: RequestOptions = {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      signal: AbortSignal.timeout(opts.timeoutMs),
      ...(opts.allowPrivateNetworks ? {} : { lookup: publicOnlyLookup }),
    };
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise<SendResult>((resolve) => {
      const req = send(target, options, (res) => {
        res.on("error", () => undefined);
        res.resume();
        resolve(done(res.statusCode ?? null, null));
      });
      req.on("error", (err) => resolve(done(null, describeError(err, opts.timeoutMs))));
      req.end(body);
    });
  };
