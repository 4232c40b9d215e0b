import { describe, expect, it } from "vitest";
import type { ChatMessage, RoomNote } from "@support-chat/contracts";
import { mergeNotes, snippetPieces, withNotes } from "../src/domain/notes.js";
import type { TimelineItem } from "../src/domain/timeline.js";
import { installDispatcher } from "../src/services/dispatcher.js";

const ROOM = "6f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b";

const message = (seq: number): TimelineItem => ({
  kind: "message",
  key: `m-${seq}`,
  mine: false,
  message: {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    chatRoomId: ROOM,
    senderId: "cust-1",
    message: `message ${seq}`,
    isRead: false,
    isFromSupport: false,
    createdAt: "2026-01-01T10:00:00.000Z",
    seq,
    clientMessageId: `c-${seq}`,
    senderName: "Carla",
    senderRole: "customer",
  } satisfies ChatMessage,
});

const note = (id: string, afterSeq: number, minute = 0): RoomNote => ({
  id: `00000000-0000-4000-9000-${id.padStart(12, "0")}`,
  roomId: ROOM,
  authorId: "agent-1",
  authorName: "Ada",
  authorRole: "agent",
  text: `note ${id}`,
  afterSeq,
  clientNoteId: `n-${id}`,
  createdAt: `2026-01-01T10:${String(minute).padStart(2, "0")}:00.000Z`,
});

const keys = (items: TimelineItem[]) => items.map((i) => i.key);
const noteKey = (id: string) => `note-00000000-0000-4000-9000-${id.padStart(12, "0")}`;

describe("notes in the console's timeline", () => {
  it("follow the message they were written after, and come before later ones", () => {
    const items = withNotes(
      [message(1), message(2), message(3)],
      [note("1", 1), note("2", 3)],
      false,
    );
    expect(keys(items)).toEqual(["m-1", noteKey("1"), "m-2", "m-3", noteKey("2")]);
  });

  it("written before any message come first; past the last held, they come before unsent ones", () => {
    const outgoing: TimelineItem = {
      kind: "outgoing",
      key: "o-x",
      outgoing: {
        clientMessageId: "x",
        message: "hi",
        createdAt: "",
        state: "pending",
        error: null,
      },
    };
    const items = withNotes([message(1), outgoing], [note("0", 0), note("9", 5)], false);
    expect(keys(items)).toEqual([noteKey("0"), "m-1", noteKey("9"), "o-x"]);
  });

  it("before the first message held wait while older messages are still to load", () => {
    const items = withNotes([message(5), message(6)], [note("1", 2), note("2", 5)], true);
    expect(keys(items)).toEqual(["m-5", noteKey("2"), "m-6"]);
  });

  it("are merged by id, once each, in the order they were written", () => {
    const merged = mergeNotes([note("2", 3, 5)], [note("1", 3, 1), note("2", 3, 5), note("3", 1)]);
    expect(merged.map((n) => n.text)).toEqual(["note 3", "note 1", "note 2"]);
  });
});

describe("search snippets", () => {
  it("split into plain text pieces, the matches marked", () => {
    const snippet = "<img src=x> my FullMag order";
    expect(snippetPieces(snippet, [{ start: 15, end: 22 }])).toEqual([
      { text: "<img src=x> my ", match: false },
      { text: "FullMag", match: true },
      { text: " order", match: false },
    ]);
  });

  it("ignore highlights that overlap or fall outside the text, and keep all of it", () => {
    const pieces = snippetPieces("abcdef", [
      { start: 4, end: 99 },
      { start: 1, end: 3 },
      { start: 2, end: 4 },
    ]);
    expect(pieces.map((p) => p.text).join("")).toBe("abcdef");
    expect(pieces.filter((p) => p.match).map((p) => p.text)).toEqual(["bc"]);
  });
});

describe("the noteAdded push", () => {
  it("reaches the notes store, and a malformed one is dropped", () => {
    const received: RoomNote[] = [];
    const handlers = new Map<string, (payload: unknown) => void>();
    const socket = {
      on: (name: string, handler: (payload: unknown) => void) => {
        handlers.set(name, handler);
        return () => handlers.delete(name);
      },
      onPhase: () => () => undefined,
    };
    installDispatcher(socket as never, {
      connection: {} as never,
      notes: { onNoteAdded: (n: RoomNote) => received.push(n) } as never,
    });
    handlers.get("noteAdded")!(note("7", 2));
    handlers.get("noteAdded")!({ text: "no room, no id" });
    expect(received.map((n) => n.text)).toEqual(["note 7"]);
  });
});

describe("reconnecting", () => {
  it("reads the notes again, so notes pushed while away are not missed", () => {
    let phase: ((change: { phase: string; resumed?: boolean }) => void) | undefined;
    let reloads = 0;
    const socket = {
      on: () => () => undefined,
      onPhase: (handler: typeof phase) => {
        phase = handler;
        return () => undefined;
      },
    };
    installDispatcher(socket as never, {
      connection: { applyPhase: () => undefined } as never,
      notes: { onConnected: () => void reloads++ } as never,
    });
    phase!({ phase: "connecting" });
    expect(reloads).toBe(0);
    phase!({ phase: "connected", resumed: true });
    expect(reloads).toBe(1);
  });
});
