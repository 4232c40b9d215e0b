import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "@support-chat/service-kit";
import { actorOf, bearerTokenOf, type Principal } from "../../domain/principal.js";
import type { TokenVerifier } from "../auth/token-verifier.js";
import type { Caller } from "../bus/chat-client.js";
import { outcomeOf, type GatewayMetrics } from "../metrics/gateway-metrics.js";
import { errorResponseOf } from "./error-response.js";
import { correlationIdOfResponse } from "./request-context.js";

export type EndpointReply = {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as it is instead of `body` as JSON (a CSV download); set its content-type header. */
  text?: string;
};
export type SignedInCaller = Caller & { principal: Principal };

export type EndpointDeps = { verify: TokenVerifier; metrics: GatewayMetrics; log: Logger };

/** Sends `{error: {code, message}}` with the status of the code; logs what we did not foresee. */
export const sendError = (res: Response, e: unknown, log: Logger): string => {
  const { status, error, unexpected } = errorResponseOf(e);
  if (unexpected) {
    log.error({ err: e, correlationId: correlationIdOfResponse(res) }, "request failed");
  }
  if (!res.headersSent) res.status(status).json({ error });
  return error.code;
};

const send = (res: Response, reply: EndpointReply): void => {
  res.status(reply.status ?? 200).set(reply.headers ?? {});
  if (reply.text === undefined) res.json(reply.body);
  else res.send(reply.text);
};

const track = async (
  deps: EndpointDeps,
  route: string,
  res: Response,
  run: () => Promise<EndpointReply>,
): Promise<void> => {
  try {
    send(res, await run());
    deps.metrics.restRequests.inc({ route, outcome: outcomeOf() });
  } catch (e) {
    sendError(res, e, deps.log);
    deps.metrics.restRequests.inc({ route, outcome: outcomeOf(e) });
  }
};

/**
 * A REST route for signed-in callers: verifies the bearer token first, then runs the handler
 * as that caller. Every outcome is one JSON response and one metric sample.
 */
export const signedInEndpoint =
  (deps: EndpointDeps) =>
  (
    route: string,
    handle: (req: Request, caller: SignedInCaller) => Promise<EndpointReply>,
  ): RequestHandler =>
  (req, res) =>
    track(deps, route, res, () => {
      const principal = deps.verify(bearerTokenOf(req.get("authorization")));
      const correlationId = correlationIdOfResponse(res);
      return handle(req, { principal, actor: actorOf(principal), correlationId });
    });

/** A REST route anyone may call (only the dev-token route). */
export const publicEndpoint =
  (deps: EndpointDeps) =>
  (route: string, handle: (req: Request) => Promise<EndpointReply>): RequestHandler =>
  (req, res) =>
    track(deps, route, res, () => handle(req));
