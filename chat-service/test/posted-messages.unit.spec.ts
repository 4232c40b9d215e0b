import { describe, expect, it } from "vitest";
import { PostedMessages } from "../src/domain/posted-messages.js";

const m = (seq: number) => ({ messageId: `00000000-0000-4000-8000-00000000000${seq}`, seq });

describe("a room's posted messages", () => {
  it("grows without changing the versions before it", () => {
    // given a room with one message
    const one = PostedMessages.empty().with("a", m(1));
    // when two more are added
    const three = one.with("b", m(2)).with("c", m(3));
    // then the newer version sees all three and the older one still sees one
    expect([three.size, three.get("c")?.seq, three.has("a")]).toEqual([3, 3, true]);
    expect([one.size, one.has("b"), one.get("c")]).toEqual([1, false, undefined]);
  });

  it("keeps two futures of the same version apart", () => {
    // given a version that already has a newer one (a decision tried on a stale state)
    const base = PostedMessages.empty().with("a", m(1));
    const first = base.with("b", m(2));
    // when the same version grows again, differently
    const second = base.with("x", m(2));
    // then each future sees only its own message
    expect([first.has("b"), first.has("x")]).toEqual([true, false]);
    expect([second.has("x"), second.has("b"), second.get("a")?.seq]).toEqual([true, false, 1]);
    // and both can go on growing
    expect(second.with("y", m(3)).size).toBe(3);
    expect(first.with("c", m(3)).has("y")).toBe(false);
  });

  it("replaces a key it sees with the newer message", () => {
    const again = PostedMessages.empty().with("a", m(1)).with("a", m(2));
    expect([again.size, again.get("a")?.seq]).toEqual([1, 2]);
  });
});
