import { ChatRoom } from "@support-chat/contracts";
import { Participant } from "./participant.js";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A shopper with the widget open: opens (or finds) their room, writes now and then, and
 * sometimes ends the conversation and starts a new one, which goes back to the queue.
 */
export class Customer extends Participant {
  private current: string | null = null;
  private written = 0;
  /** Chance per beat of writing a message. */
  sendChance = 0.15;

  /** GET /chat/room: the customer's open room, created when there is none. */
  async openRoom(): Promise<string | undefined> {
    const reply = await this.untilDone(() => this.rest("GET", "/chat/room"));
    if (!reply) return undefined;
    const room = ChatRoom.parse(reply.body);
    this.follow(room.id);
    this.current = room.id;
    if (this.socket.connected) void this.enter(room.id);
    return room.id;
  }

  get roomId(): string | null {
    return this.current;
  }

  protected async onConnected(): Promise<void> {
    if (this.current) await this.enter(this.current);
    // A reconnect may have missed the last words of a room closed meanwhile, too.
    for (const roomId of this.views.keys()) if (roomId !== this.current) void this.catchUp(roomId);
  }

  private async enter(roomId: string): Promise<void> {
    await this.requestUntilDone("joinRoom", { roomId });
    await this.catchUp(roomId);
  }

  tick(random: () => number): void {
    if (!this.writing || !this.current || random() >= this.sendChance) return;
    this.written++;
    this.write(this.current, `Hello, it is ${this.who.name} (note ${this.written}) — ça va? ✓`);
  }

  /** Ends the conversation once everything written in it is acked, and opens a new one. */
  async startOver(): Promise<void> {
    const roomId = this.current;
    if (!roomId) return;
    this.current = null;
    while (this.pendingFor(roomId) > 0) await pause(50);
    await this.untilDone(() => this.rest("POST", `/chat/room/${roomId}/close`));
    await this.openRoom();
  }
}
