import { randomUUID } from "node:crypto";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { chatCommands, subjectsFor, type Actor } from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";
import { natsUrl } from "@support-chat/test-support";
import { personWithToken } from "../load/people.js";
import type { Person } from "../load/protocol.js";
import { openRoom, restCall } from "../load/rest.js";

/** Somebody who owns a room and can post into it, one message per call. */
export type Writer = {
  person: Person;
  roomId: string;
  post: (clientMessageId: string, message: string) => Promise<void>;
};

export type Writers = {
  /** How messages travel: straight to the chat service over NATS, or through the gateway. */
  path: "nats" | "rest";
  open: (count: number) => Promise<Writer[]>;
  close: () => Promise<void>;
};

const customers = (secret: string, count: number): Person[] => {
  const run = randomUUID().slice(0, 6);
  return Array.from({ length: count }, (_, i) =>
    personWithToken(secret, "customer", `bench-${run}-writer-${i}`, `Writer ${i}`),
  );
};

/**
 * Writers that send `postMessage` commands to the chat service directly, so the append rate
 * is the event store's, not the gateway's or its rate limiter's.
 */
export const natsWriters = async (namespace: string, secret: string): Promise<Writers> => {
  const nc: NatsConnection = await connect({ servers: natsUrl() });
  const command = requesterFor({
    nc,
    operations: chatCommands,
    subjectOf: subjectsFor(namespace).command,
    timeoutMs: 30_000,
  });
  return {
    path: "nats",
    open: async (count) =>
      Promise.all(
        customers(secret, count).map(async (person) => {
          const actor: Actor = { id: person.id, name: person.name, role: "customer" };
          const envelope = () => ({ actor, correlationId: randomUUID() });
          const room = await command("openRoom", { ...envelope(), payload: {} });
          return {
            person,
            roomId: room.id,
            post: async (clientMessageId, message) => {
              await command("postMessage", {
                ...envelope(),
                payload: { roomId: room.id, clientMessageId, message },
              });
            },
          };
        }),
      ),
    close: () => nc.close(),
  };
};

/** Writers that post through a running gateway's REST API (when the benchmark targets one). */
export const restWriters = (gatewayUrl: string, secret: string): Writers => ({
  path: "rest",
  open: async (count) =>
    Promise.all(
      customers(secret, count).map(async (person) => {
        const room = await openRoom(gatewayUrl, person.token);
        return {
          person,
          roomId: room.id,
          post: async (clientMessageId, message) => {
            const reply = await restCall(
              gatewayUrl,
              person.token,
              "POST",
              `/chat/room/${room.id}/messages`,
              { clientMessageId, message },
            );
            if (reply.status !== 201 && reply.status !== 200) {
              throw new Error(
                `POST message answered ${reply.status}: ${JSON.stringify(reply.body)}`,
              );
            }
          },
        };
      }),
    ),
  close: async () => undefined,
});
