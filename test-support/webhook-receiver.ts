import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got, and what it answered. */
export type ReceivedWebhook = {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status answered; null when the request was left hanging. */
  status: number | null;
  at: number;
};

/** What to do with the n-th request (1-based): answer with a status, or never answer. */
export type Answer = number | "hang";

/**
 * A real HTTP endpoint for webhook tests, on a free local port: records every request and
 * answers as the test says (by default 200), so a test can make it fail, hang or recover.
 */
export type WebhookReceiver = {
  url: string;
  received: ReceivedWebhook[];
  /** Decides each answer from the request's number and its `Webhook-Id`. */
  answer: (decide: (n: number, webhookId: string) => Answer) => void;
  /** Requests carrying this `Webhook-Id`. */
  withId: (id: string) => ReceivedWebhook[];
  close: () => Promise<void>;
};

export const startWebhookReceiver = async (path = "/hooks"): Promise<WebhookReceiver> => {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<ServerResponse>();
  let decide: (n: number, webhookId: string) => Answer = () => 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const webhookId = String(req.headers["webhook-id"] ?? "");
      const answer = decide(received.length + 1, webhookId);
      const entry: ReceivedWebhook = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        status: answer === "hang" ? null : answer,
        at: Date.now(),
      };
      received.push(entry);
      if (answer === "hang") {
        hanging.add(res);
        return;
      }
      res.writeHead(answer, { "content-type": "text/plain" }).end(`status ${answer}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    answer: (d) => {
      decide = d;
    },
    withId: (id) => received.filter((r) => r.headers["webhook-id"] === id),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
