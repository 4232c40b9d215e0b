import { ChatRoom, RoomAssignedPush, RoomUnassignedPush } from "@support-chat/contracts";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import type { Ledger } from "../domain/ledger.js";
import { Participant } from "./participant.js";

const RoomList = ChatRoom.array();

/**
 * A support agent with the console open: available for work, takes the rooms the router
 * gives them (pushed, or found in their list after a reconnect), and answers in each.
 */
export class Agent extends Participant {
  /** Rooms assigned to this agent right now, as far as it knows. */
  readonly assigned = new Set<string>();
  private replies = 0;
  /** Chance per beat and per room of answering. */
  replyChance = 0.08;

  constructor(who: Person, baseUrl: string, ledger: Ledger, phase: () => string) {
    super(who, baseUrl, ledger, phase);
    this.socket.on("roomAssigned", (payload) => {
      const parsed = RoomAssignedPush.safeParse(payload);
      if (!parsed.success) this.stats.invalidPushes++;
      else this.take(parsed.data.room);
    });
    this.socket.on("roomUnassigned", (payload) => {
      const parsed = RoomUnassignedPush.safeParse(payload);
      if (!parsed.success) this.stats.invalidPushes++;
      else this.assigned.delete(parsed.data.roomId);
    });
  }

  protected async onConnected(): Promise<void> {
    void this.requestUntilDone("setStatus", { status: "available" });
    const reply = await this.untilDone(() =>
      this.rest("GET", "/chat/support/rooms?mine=true&status=open"),
    );
    for (const room of reply ? RoomList.parse(reply.body) : []) this.assigned.add(room.id);
    await Promise.all([...this.assigned].map((roomId) => this.enter(roomId)));
  }

  protected override onRoomSnapshot(room: ChatRoom): void {
    // The console learns of an assignment from any room snapshot, should the push be lost.
    if (room.supportAgentId === this.id) this.take(room);
    else if (this.assigned.has(room.id) && room.supportAgentId !== null) {
      this.assigned.delete(room.id);
    }
    super.onRoomSnapshot(room);
  }

  private take(room: ChatRoom): void {
    if (room.supportAgentId !== this.id || room.status !== "open" || this.assigned.has(room.id)) {
      return;
    }
    this.assigned.add(room.id);
    void this.enter(room.id);
  }

  private async enter(roomId: string): Promise<void> {
    this.follow(roomId);
    await this.requestUntilDone("joinRoom", { roomId });
    await this.catchUp(roomId);
  }

  tick(random: () => number): void {
    if (!this.writing) return;
    for (const roomId of this.assigned) {
      if (random() >= this.replyChance) continue;
      this.replies++;
      this.write(roomId, `${this.who.name} here, reply ${this.replies}: <b>on it</b> & done 👍`);
    }
  }
}
