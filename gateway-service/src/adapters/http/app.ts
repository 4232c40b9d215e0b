import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import { API_PREFIX, DomainError } from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import type { DevTokenIssuer } from "../auth/dev-token-issuer.js";
import type { TokenVerifier } from "../auth/token-verifier.js";
import type { AssignmentClient } from "../bus/assignment-client.js";
import type { CannedClient } from "../bus/canned-client.js";
import type { ChatClient } from "../bus/chat-client.js";
import type { GatewayMetrics } from "../metrics/gateway-metrics.js";
import type { RateLimits } from "../redis/rate-limits.js";
import { cors } from "./cors.js";
import { devTokenRoutes } from "./dev-token-routes.js";
import { publicEndpoint, sendError, signedInEndpoint } from "./endpoint.js";
import { requestContext } from "./request-context.js";
import { roomRoutes } from "./room-routes.js";
import { supportRoutes } from "./support-routes.js";
import { webhookRoutes } from "./webhook-routes.js";
import type { WebhookClient } from "../bus/webhook-client.js";
import { feedbackRoutes } from "./feedback-routes.js";
import type { MailFeaturesSource } from "../bus/mail-features.js";
import { labelsRoutes } from "./labels-routes.js";
import { notesRoutes } from "./notes-routes.js";
import { searchRoutes } from "./search-routes.js";
import { cannedRoutes } from "./canned-routes.js";
import { reportRoutes } from "./report-routes.js";
import { attachmentRoutes } from "./attachment-routes.js";
import type { AttachmentRules } from "../../domain/attachment-rules.js";
import type { ObjectStore } from "../storage/object-store.js";

export type HttpAppDeps = {
  chat: ChatClient;
  canned: CannedClient;
  assignment: AssignmentClient;
  /** Webhook subscriptions and deliveries (the notification service). */
  webhooks: WebhookClient;
  verify: TokenVerifier;
  limits: RateLimits;
  metrics: GatewayMetrics;
  /** `/healthz`, `/readyz`, `/metrics`; resolves true when it answered the request. */
  ops: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Present only when dev tokens are enabled. */
  devTokens: DevTokenIssuer | undefined;
  corsOrigins: readonly string[];
  bodyLimit: string;
  messageMaxLength: number;
  attachments: { store: ObjectStore; rules: AttachmentRules };
  /** Whether the notification service can send e-mail (transcripts, offline notices). */
  mailFeatures: MailFeaturesSource;
  log: Logger;
};

const opsFirst =
  (ops: HttpAppDeps["ops"]): RequestHandler =>
  (req, res, next) => {
    ops(req, res).then((handled) => handled || next(), next);
  };

export const createHttpApp = (deps: HttpAppDeps): Express => {
  const endpointDeps = { verify: deps.verify, metrics: deps.metrics, log: deps.log };
  const endpoint = signedInEndpoint(endpointDeps);
  const api = express.Router();
  if (deps.devTokens) {
    api.use(devTokenRoutes({ endpoint: publicEndpoint(endpointDeps), issue: deps.devTokens }));
  }
  api.use(roomRoutes({ endpoint, ...deps }));
  api.use(attachmentRoutes({ endpoint, ...deps, ...deps.attachments }));
  api.use(supportRoutes({ endpoint, chat: deps.chat, assignment: deps.assignment }));
  api.use(webhookRoutes({ endpoint, webhooks: deps.webhooks }));
  api.use(feedbackRoutes({ endpoint, chat: deps.chat, mailFeatures: deps.mailFeatures }));
  api.use(notesRoutes({ endpoint, chat: deps.chat, limits: deps.limits }));
  api.use(labelsRoutes({ endpoint, chat: deps.chat }));
  api.use(searchRoutes({ endpoint, chat: deps.chat }));
  api.use(cannedRoutes({ endpoint, canned: deps.canned }));
  api.use(reportRoutes({ endpoint, chat: deps.chat }));

  const notFound: RequestHandler = (req, res) => {
    sendError(res, new DomainError("NOT_FOUND", `no route ${req.method} ${req.path}`), deps.log);
    deps.metrics.restRequests.inc({ route: "unknown", outcome: "NOT_FOUND" });
  };
  // Express recognizes an error handler by its four parameters.
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const code = sendError(res, err, deps.log);
    deps.metrics.restRequests.inc({ route: "unparsed", outcome: code });
  };

  return express()
    .disable("x-powered-by")
    .use(opsFirst(deps.ops))
    .use(requestContext(deps.log))
    .use(cors(deps.corsOrigins))
    .use(express.json({ limit: deps.bodyLimit }))
    .use(API_PREFIX, api)
    .use(notFound)
    .use(onError);
};
