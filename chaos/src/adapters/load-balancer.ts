import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export type LoadBalancer = { url: string; stop: () => Promise<void> };

/**
 * A round-robin TCP balancer in front of the gateways, as a production proxy would be: a new
 * connection goes to the next gateway that accepts it, and a gateway's death closes only the
 * connections it held. Clients reconnect through it and land on a replica that is alive.
 */
export const startLoadBalancer = async (backendPorts: () => number[]): Promise<LoadBalancer> => {
  let next = 0;
  const open = new Set<Socket>();

  const dial = (client: Socket, tried: number): void => {
    const ports = backendPorts();
    if (tried >= ports.length) {
      client.destroy();
      return;
    }
    const port = ports[next++ % ports.length]!;
    const backend = connect({ host: "127.0.0.1", port });
    // Refused: that gateway is down; try the next one.
    backend.once("error", () => dial(client, tried + 1));
    backend.once("connect", () => {
      open.add(backend);
      backend.on("close", () => open.delete(backend));
      backend.removeAllListeners("error");
      backend.on("error", () => client.destroy());
      client.on("error", () => backend.destroy());
      backend.on("close", () => client.destroy());
      client.on("close", () => backend.destroy());
      client.pipe(backend);
      backend.pipe(client);
      client.resume();
    });
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    dial(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
