import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, loadConfig, UnreachableError } from "@support-chat/service-kit";
import { uniqueName } from "@support-chat/test-support";
import { GatewayEnv, startGatewayService, type GatewayHandle } from "../src/service.js";
import { connectSocket, expectRestError, rest, waitFor } from "./support/clients.js";
import { gatewayEnv, signToken, type Person } from "./support/harness.js";

const secret = `lifecycle-${randomBytes(16).toString("hex")}`;
const log = createLogger("gateway-service", "silent");
const running: GatewayHandle[] = [];

const start = async (extra: Record<string, string> = {}) => {
  const env = gatewayEnv(uniqueName("g"), secret, extra);
  const gateway = await startGatewayService(loadConfig(GatewayEnv, env), log);
  running.push(gateway);
  return gateway;
};

afterEach(async () => {
  for (const gateway of running.splice(0)) await gateway.stop();
});

const customer = (): Person => {
  const id = `customer-${randomBytes(4).toString("hex")}`;
  return {
    id,
    name: "Ann",
    role: "customer",
    token: signToken(secret, { sub: id, name: "Ann", role: "customer" }),
  };
};

const startFailure = async (extra: Record<string, string>) => {
  const started = Date.now();
  const error = await start(extra).then(
    () => new Error("the gateway started"),
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
};

describe("gateway lifecycle", () => {
  it("fails fast with where and how to start Redis when Redis is unreachable", async () => {
    const { error, ms } = await startFailure({ REDIS_URL: "redis://127.0.0.1:1" });
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(
      /cannot reach Redis at redis:\/\/127\.0\.0\.1:1 .*redis-server/,
    );
    expect(ms).toBeLessThan(5000);
  });

  it("fails fast with where and how to start NATS when NATS is unreachable", async () => {
    const { error, ms } = await startFailure({ NATS_URL: "nats://127.0.0.1:1" });
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(
      /cannot reach NATS at nats:\/\/127\.0\.0\.1:1 .*nats-server/,
    );
    expect(ms).toBeLessThan(5000);
  });

  it("answers 503 UNAVAILABLE when no chat service answers", async () => {
    const gateway = await start({ NATS_REQUEST_TIMEOUT_MS: "500" });
    expectRestError(await rest(gateway.url, customer(), "GET", "/chat/room"), 503, "UNAVAILABLE");
  });

  it("on stop disconnects its sockets, so clients go to another replica, and stops listening", async () => {
    const gateway = await start();
    const socket = await connectSocket(gateway.url, customer());
    const disconnected = waitFor<string>(socket, "disconnect");
    await gateway.stop();
    // A transport close (not "io server disconnect") is what makes socket.io clients reconnect
    // on their own, to whichever replica the load balancer picks next.
    expect(await disconnected).toBe("transport close");
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });
});
