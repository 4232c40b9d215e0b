import type { RoomState } from "../../domain/room.js";

export type CachedRoom = Readonly<{ state: RoomState; version: number }>;

/**
 * The latest known state of recently used rooms. Only an optimization: the store always reads
 * the events after the cached version before deciding, so a stale entry costs a read, never a
 * wrong decision.
 */
export class RoomCache {
  private readonly rooms = new Map<string, CachedRoom>();

  constructor(private readonly capacity = 10_000) {}

  get(roomId: string): CachedRoom | undefined {
    const room = this.rooms.get(roomId);
    if (room) {
      // Re-insert so the map's order stays least-recently-used first.
      this.rooms.delete(roomId);
      this.rooms.set(roomId, room);
    }
    return room;
  }

  set(roomId: string, room: CachedRoom): void {
    const current = this.rooms.get(roomId);
    if (current && current.version > room.version) return;
    this.rooms.delete(roomId);
    this.rooms.set(roomId, room);
    if (this.rooms.size > this.capacity) {
      const oldest = this.rooms.keys().next().value;
      if (oldest !== undefined) this.rooms.delete(oldest);
    }
  }
}
