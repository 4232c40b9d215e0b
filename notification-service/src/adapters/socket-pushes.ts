import { Emitter } from "@socket.io/redis-emitter";
import { CHAT_NAMESPACE, type ServerToClientEvents } from "@support-chat/contracts";
import type { Redis } from "ioredis";
import type { Push } from "../domain/pushes.js";

export type PushPublisher = (pushes: readonly Push[]) => Promise<void>;

type PublishOnly = { publish: (channel: string, message: string | Buffer) => Promise<number> };

/**
 * Sends pushes to every gateway through the Socket.IO Redis adapter protocol. The emitter fires
 * each Redis PUBLISH and forgets it; handing it a client that keeps the replies lets the caller
 * learn that Redis took every push before the event is acknowledged.
 */
export const redisPushPublisher =
  (redis: Redis, key: string): PushPublisher =>
  async (pushes) => {
    const sent: Promise<number>[] = [];
    const client: PublishOnly = {
      publish: (channel, message) => {
        const reply = redis.publish(channel, message);
        sent.push(reply);
        return reply;
      },
    };
    const emitter = new Emitter<ServerToClientEvents>(client, { key }).of(CHAT_NAMESPACE);
    for (const push of pushes) emit(emitter, push);
    await Promise.all(sent);
  };

const emit = (emitter: Emitter<ServerToClientEvents>, push: Push): void => {
  // Each member of `Push` pairs an event with its own payload type; the emitter's generic
  // signature cannot follow that pairing through a union.
  emitter.to(push.rooms).emit(push.event, push.payload as never);
};
