import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../src/services/api.js";
import { OTHERS_ROOMS_REFRESH_MS, useConsoleRoomsStore } from "../src/stores/console-rooms.js";
import { AGENT, aRoom, OTHER_ROOM_ID, signIn } from "./fixtures.js";
import { fakeServer } from "./harness.js";

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  signIn(AGENT);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Another agent's room, as the server has it now. */
const othersRoom = (lastMessage: string) =>
  aRoom({ id: OTHER_ROOM_ID, status: "open", supportAgentId: "agent-2", lastMessage });

describe("other agents' rooms in the console", () => {
  it("are read again while the All list is shown, and not while another list is", async () => {
    // given the console showing every room, with another agent's room in it
    const server = fakeServer(othersRoom("first"));
    const rooms = useConsoleRoomsStore();
    await rooms.load();
    const reads = vi.mocked(api.supportRooms);
    expect(reads).toHaveBeenCalledTimes(1);

    // when that room moves on without a push to this agent
    server.room = othersRoom("second");
    await vi.advanceTimersByTimeAsync(OTHERS_ROOMS_REFRESH_MS);
    // then the list shows it after the next read
    expect(rooms.byId(OTHER_ROOM_ID)?.lastMessage).toBe("second");

    // and only this agent's own chats: no more reads
    await rooms.setFilter("mine");
    const before = reads.mock.calls.length;
    await vi.advanceTimersByTimeAsync(OTHERS_ROOMS_REFRESH_MS * 3);
    expect(reads).toHaveBeenCalledTimes(before);

    // back to All: read at once, then again later
    server.room = othersRoom("third");
    await rooms.setFilter("all");
    expect(rooms.byId(OTHER_ROOM_ID)?.lastMessage).toBe("third");
    rooms.stopFollowing();
    await vi.advanceTimersByTimeAsync(OTHERS_ROOMS_REFRESH_MS * 2);
    expect(reads).toHaveBeenCalledTimes(before + 1);
  });
});
