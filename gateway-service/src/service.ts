import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { hostname } from "node:os";
import type { AddressInfo } from "node:net";
import { subjectsFor } from "@support-chat/contracts";
import { connectNats, opsHandler, type Logger } from "@support-chat/service-kit";
import type { Redis } from "ioredis";
import { createDevTokenIssuer } from "./adapters/auth/dev-token-issuer.js";
import { createTokenVerifier } from "./adapters/auth/token-verifier.js";
import { createAssignmentClient } from "./adapters/bus/assignment-client.js";
import { createCannedClient } from "./adapters/bus/canned-client.js";
import { createChatClient } from "./adapters/bus/chat-client.js";
import { createWebhookClient } from "./adapters/bus/webhook-client.js";
import { startPresence } from "./adapters/bus/presence.js";
import { mailFeaturesOverNats } from "./adapters/bus/mail-features.js";
import { bothPresences, startCustomerPresence } from "./adapters/redis/customer-presence.js";
import { createHttpApp } from "./adapters/http/app.js";
import { createGatewayMetrics } from "./adapters/metrics/gateway-metrics.js";
import { connectRedis } from "./adapters/redis/connect-redis.js";
import { createRateLimits } from "./adapters/redis/rate-limits.js";
import { createSocketServer } from "./adapters/socket/socket-server.js";
import { createObjectStore } from "./adapters/storage/create-object-store.js";
import type { GatewayConfig } from "./config.js";

export { GatewayEnv, type GatewayConfig } from "./config.js";

export type GatewayHandle = {
  port: number;
  /** `http://127.0.0.1:<port>`: REST under `/api`, socket.io namespace `/chat`. */
  url: string;
  stop(): Promise<void>;
};

const connectBackends = async (config: GatewayConfig, log: Logger) => {
  const nc = await connectNats(config.NATS_URL, "gateway-service", log);
  const redis: Redis[] = [];
  try {
    redis.push(await connectRedis(config.REDIS_URL, "gateway", log));
    redis.push(await connectRedis(config.REDIS_URL, "gateway-adapter-sub", log));
  } catch (e) {
    redis.forEach((r) => r.disconnect());
    await nc.close();
    throw e;
  }
  return { nc, pub: redis[0]!, sub: redis[1]! };
};

/**
 * The stateless edge: REST and socket.io on one HTTP server, turning what clients send into
 * chat commands and queries over NATS. Any number of these can run side by side.
 */
export const startGatewayService = async (
  config: GatewayConfig,
  log: Logger,
): Promise<GatewayHandle> => {
  const store = await createObjectStore(config);
  const { nc, pub, sub } = await connectBackends(config, log);
  const subjects = subjectsFor(config.NATS_NAMESPACE);
  const metrics = createGatewayMetrics();
  const bus = { nc, subjects, timeoutMs: config.NATS_REQUEST_TIMEOUT_MS, metrics };
  const chat = createChatClient(bus);
  const assignment = createAssignmentClient(bus);
  const gatewayId = `${hostname()}-${randomUUID().slice(0, 8)}`;
  const presence = bothPresences(
    startPresence({ nc, subjects, gatewayId, heartbeatMs: config.PRESENCE_HEARTBEAT_MS, log }),
    // Customers' sockets, for offline notices by e-mail.
    startCustomerPresence({
      redis: pub,
      namespace: subjects.namespace,
      gatewayId,
      heartbeatMs: config.PRESENCE_HEARTBEAT_MS,
      log,
    }),
  );
  const verify = createTokenVerifier({
    secret: config.JWT_SECRET,
    publicKey: config.JWT_PUBLIC_KEY,
  });
  const limits = createRateLimits(pub, `${subjects.namespace}:gateway:ratelimit`, {
    messagesPerSecond: config.RATE_LIMIT_MESSAGES_PER_SECOND,
    messageBurst: config.RATE_LIMIT_MESSAGE_BURST,
    typingPerSecond: config.RATE_LIMIT_TYPING_PER_SECOND,
  });
  let draining = false;
  const ops = opsHandler({
    registry: metrics.registry,
    checks: [
      { name: "nats", check: () => nc.flush() },
      { name: "redis", check: () => pub.ping() },
    ],
    isDraining: () => draining,
  });
  const devTokens =
    config.AUTH_DEV_LOGIN && config.JWT_SECRET
      ? createDevTokenIssuer({
          secret: config.JWT_SECRET,
          ttlSeconds: config.DEV_TOKEN_TTL_SECONDS,
        })
      : undefined;
  if (devTokens) log.warn("AUTH_DEV_LOGIN=true: anyone can mint tokens; never use in production");

  const shared = {
    chat,
    assignment,
    verify,
    limits,
    metrics,
    corsOrigins: config.CORS_ORIGIN,
    log,
  };
  const app = createHttpApp({
    webhooks: createWebhookClient(bus),
    canned: createCannedClient(bus),
    mailFeatures: mailFeaturesOverNats(nc, subjects, config.NATS_REQUEST_TIMEOUT_MS),
    ...shared,
    ops,
    devTokens,
    bodyLimit: config.HTTP_BODY_LIMIT,
    messageMaxLength: config.MESSAGE_MAX_LENGTH,
    attachments: {
      store,
      rules: { maxBytes: config.ATTACHMENT_MAX_BYTES, allowedTypes: config.ATTACHMENT_TYPES },
    },
  });
  const httpServer = createServer(app);
  const io = createSocketServer(httpServer, {
    ...shared,
    presence,
    redis: { pub, sub, key: config.SOCKET_IO_REDIS_KEY },
    maxPayloadBytes: config.SOCKET_MAX_PAYLOAD_BYTES,
    messageMaxLength: config.MESSAGE_MAX_LENGTH,
  });
  const stop = async () => {
    draining = true;
    // Closing socket.io disconnects its sockets (clients reconnect to another replica) and
    // stops the HTTP server; requests in flight still get their answer before NATS drains.
    await io.close();
    presence.stop();
    await nc.drain();
    await Promise.allSettled([pub.quit(), sub.quit()]);
    log.info("gateway stopped");
  };
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.GATEWAY_PORT, () => resolve());
    });
  } catch (e) {
    await stop();
    throw e;
  }
  const { port } = httpServer.address() as AddressInfo;
  log.info(
    { port, namespace: subjects.namespace, gatewayId, attachmentStorage: store.kind },
    "gateway listening",
  );

  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () => (stopped ??= stop()),
  };
};
