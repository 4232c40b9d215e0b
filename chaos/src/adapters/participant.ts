import { io } from "socket.io-client";
import {
  CHAT_NAMESPACE,
  isDomainError,
  ChatMessage,
  NewMessagePush,
  RoomUpdatedPush,
  type ChatRoom,
  type ClientEventAck,
  type ClientEventName,
  type ClientEventPayload,
  type ErrorBody,
  type Reply,
} from "@support-chat/contracts";
import type { ChatSocket, Person } from "@support-chat/system-tests/src/clients.js";
import { ConversationView } from "../domain/conversation-view.js";
import type { Ledger, Outgoing } from "../domain/ledger.js";
import { refusalOf, restCall, type RestReply } from "./rest-client.js";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ACK_TIMEOUT_MS = 3000;
/** Answers that say "not now": the same message is sent again, under the same key. */
const RETRYABLE = new Set(["UNAVAILABLE", "INTERNAL", "RATE_LIMITED", "CONFLICT"]);
const ACK_TIMEOUT = "ack-timeout";
const reasonOf = (error: ErrorBody): string =>
  error.message === ACK_TIMEOUT ? ACK_TIMEOUT : error.code;
const MessagePage = ChatMessage.array();

export type ParticipantStats = {
  connects: number;
  disconnects: number;
  /** Refusals and timeouts seen while retrying, by code. */
  retries: Record<string, number>;
  catchUps: number;
  invalidPushes: number;
};

/**
 * A browser tab of the chat: one socket.io connection that reconnects by itself, a copy of
 * each conversation it follows (filled by pushes, and by `?after=<seq>` fetches after a
 * reconnect, a gap or a newer room snapshot), and an outbox that sends one message at a time
 * and retries an unanswered one under the same clientMessageId until it is acked.
 */
export abstract class Participant {
  readonly views = new Map<string, ConversationView>();
  readonly stats: ParticipantStats = {
    connects: 0,
    disconnects: 0,
    retries: {},
    catchUps: 0,
    invalidPushes: 0,
  };
  protected readonly socket: ChatSocket;
  /** False once the run stops writing new messages. */
  protected writing = true;
  private halted = false;
  private readonly outbox: Outgoing[] = [];
  private pumping = false;
  private readonly catchingUp = new Map<string, Promise<void>>();
  private readonly catchUpAgain = new Set<string>();

  constructor(
    readonly who: Person,
    protected readonly baseUrl: string,
    private readonly ledger: Ledger,
    private readonly phase: () => string,
  ) {
    this.socket = io(`${baseUrl}${CHAT_NAMESPACE}`, {
      auth: { token: who.token },
      transports: ["websocket"],
      reconnection: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 1000,
      timeout: 3000,
      autoConnect: false,
      forceNew: true,
    });
    this.socket.on("connect", () => {
      this.stats.connects++;
      void this.onConnected();
    });
    this.socket.on("disconnect", (reason) => {
      this.stats.disconnects++;
      // A gateway shutting down closes its sockets itself; socket.io then leaves reconnecting
      // to the application, which a tab does at once.
      if (reason === "io server disconnect" && !this.halted) this.socket.connect();
    });
    this.socket.on("newMessage", (payload) => this.onPushedMessage(payload));
    this.socket.on("roomUpdated", (payload) => {
      const parsed = RoomUpdatedPush.safeParse(payload);
      if (!parsed.success) this.stats.invalidPushes++;
      else this.onRoomSnapshot(parsed.data.room);
    });
  }

  get id(): string {
    return this.who.id;
  }

  connect(): void {
    this.socket.connect();
  }

  /** After every (re)connect: rejoin socket rooms and catch up what was missed meanwhile. */
  protected abstract onConnected(): Promise<void>;

  /** One step of this participant's behaviour (called on a fixed beat while the run writes). */
  abstract tick(random: () => number): void;

  stopWriting(): void {
    this.writing = false;
  }

  get outboxSize(): number {
    return this.outbox.length;
  }

  halt(): void {
    this.halted = true;
    this.socket.disconnect();
  }

  // ---- receiving ----

  private onPushedMessage(payload: unknown): void {
    const parsed = NewMessagePush.safeParse(payload);
    if (!parsed.success) {
      this.stats.invalidPushes++;
      return;
    }
    const view = this.views.get(parsed.data.roomId);
    if (!view) return;
    view.receive(parsed.data, "push");
    if (view.hasHole) void this.catchUp(view.roomId);
  }

  protected onRoomSnapshot(room: ChatRoom): void {
    const view = this.views.get(room.id);
    if (!view) return;
    view.heardOfSeq(room.lastSeq);
    if (view.hasHole) void this.catchUp(room.id);
  }

  protected follow(roomId: string): ConversationView {
    const existing = this.views.get(roomId);
    if (existing) return existing;
    const view = new ConversationView(roomId);
    this.views.set(roomId, view);
    return view;
  }

  /**
   * Fetches everything after the unbroken prefix, one fetch at a time per room; a trigger
   * while one runs asks for one more round. Retries until it succeeds (services may be down).
   */
  catchUp(roomId: string): Promise<void> {
    const running = this.catchingUp.get(roomId);
    if (running) {
      this.catchUpAgain.add(roomId);
      return running;
    }
    const run = (async () => {
      do {
        this.catchUpAgain.delete(roomId);
        await this.untilDone(() => this.fetchMissed(roomId));
      } while (this.catchUpAgain.has(roomId) && !this.halted);
    })().finally(() => this.catchingUp.delete(roomId));
    this.catchingUp.set(roomId, run);
    return run;
  }

  private async fetchMissed(roomId: string): Promise<void> {
    const view = this.follow(roomId);
    this.stats.catchUps++;
    for (;;) {
      const after = view.contiguousSeq;
      const reply = await this.rest(
        "GET",
        `/chat/room/${roomId}/messages?after=${after}&limit=200`,
      );
      const page = MessagePage.parse(reply.body);
      for (const m of page) view.receive(m, "fetch");
      if (page.length === 0 || reply.headers.get("x-has-more") !== "true") return;
    }
  }

  // ---- sending ----

  protected write(roomId: string, text: string): void {
    const outgoing = this.ledger.add({
      roomId,
      senderId: this.id,
      clientMessageId: this.ledger.nextClientMessageId(this.who.role.slice(0, 1)),
      text,
      phase: this.phase(),
    });
    this.outbox.push(outgoing);
    void this.pump();
  }

  protected pendingFor(roomId: string): number {
    return this.outbox.filter((o) => o.roomId === roomId).length;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.outbox.length > 0 && !this.halted) {
        await this.deliver(this.outbox[0]!);
        this.outbox.shift();
      }
    } finally {
      this.pumping = false;
    }
  }

  private async deliver(o: Outgoing): Promise<void> {
    for (let backoff = 100; !this.halted; backoff = Math.min(backoff * 2, 1000)) {
      await this.untilConnected();
      if (this.halted) return;
      o.attempts++;
      const reply = await this.request("sendMessage", {
        roomId: o.roomId,
        message: o.text,
        clientMessageId: o.clientMessageId,
      });
      if (reply.status === "OK") {
        o.acked = { id: reply.data.id, seq: reply.data.seq };
        this.follow(o.roomId).receive(reply.data, "ack");
        return;
      }
      this.countRetry(reasonOf(reply.error));
      if (!RETRYABLE.has(reply.error.code)) {
        o.refused = reply.error;
        return;
      }
      await pause(backoff);
    }
  }

  // ---- plumbing ----

  /** A client event with its ack; a lost or late ack reads as an `ack-timeout` refusal. */
  protected async request<K extends ClientEventName>(
    event: K,
    payload: ClientEventPayload<K>,
  ): Promise<Reply<ClientEventAck<K>>> {
    const emit = this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck as unknown as (
      e: string,
      p: unknown,
    ) => Promise<Reply<ClientEventAck<K>>>;
    try {
      return await emit.call(this.socket.timeout(ACK_TIMEOUT_MS), event, payload);
    } catch {
      return { status: "ERROR", error: { code: "UNAVAILABLE", message: ACK_TIMEOUT } };
    }
  }

  /** A client event retried until the server says OK (or refuses for good). */
  protected async requestUntilDone<K extends ClientEventName>(
    event: K,
    payload: ClientEventPayload<K>,
  ): Promise<Reply<ClientEventAck<K>>> {
    for (let backoff = 100; ; backoff = Math.min(backoff * 2, 1000)) {
      await this.untilConnected();
      const reply = await this.request(event, payload);
      if (reply.status === "OK" || this.halted) return reply;
      this.countRetry(reasonOf(reply.error));
      if (!RETRYABLE.has(reply.error.code)) return reply;
      await pause(backoff);
    }
  }

  protected async rest(method: "GET" | "POST", path: string, body?: unknown): Promise<RestReply> {
    const reply = await restCall(this.baseUrl, this.who.token, method, path, body);
    if (reply.status >= 300) throw refusalOf(reply);
    return reply;
  }

  /**
   * Runs `work` until it succeeds; failures while services are down are expected. A refusal
   * that retrying cannot change is thrown.
   */
  protected async untilDone<T>(work: () => Promise<T>): Promise<T | undefined> {
    for (let backoff = 100; !this.halted; backoff = Math.min(backoff * 2, 1000)) {
      try {
        return await work();
      } catch (e) {
        if (isDomainError(e) && !RETRYABLE.has(e.code)) throw e;
        this.countRetry(isDomainError(e) ? e.code : e instanceof Error ? e.name : "failure");
        await pause(backoff);
      }
    }
    return undefined;
  }

  private async untilConnected(): Promise<void> {
    while (!this.socket.connected && !this.halted) await pause(50);
  }

  private countRetry(code: string): void {
    this.stats.retries[code] = (this.stats.retries[code] ?? 0) + 1;
  }
}
