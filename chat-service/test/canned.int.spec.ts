import { randomUUID } from "node:crypto";
import {
  cannedCommands,
  cannedQueries,
  cannedStreamId,
  DomainError,
  type Actor,
  type CannedCommandName,
  type CannedQueryName,
  type ReplyOf,
  type RequestOf,
} from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agent, customer, manager } from "./fixtures.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  // Two replicas in one queue group: concurrent requests really are decided side by side.
  await h.start();
  await h.start({ RELAY_ENABLED: "false" });
});
afterAll(async () => {
  await h?.close();
});

const as = (actor: Actor) => {
  const commands = requesterFor({
    nc: h.nc,
    operations: cannedCommands,
    subjectOf: h.subjects.cannedCommand,
    timeoutMs: 10_000,
  });
  const queries = requesterFor({
    nc: h.nc,
    operations: cannedQueries,
    subjectOf: h.subjects.cannedQuery,
    timeoutMs: 10_000,
  });
  return {
    command: <K extends CannedCommandName>(
      name: K,
      payload: RequestOf<(typeof cannedCommands)[K]>,
    ) =>
      commands(name, { actor, correlationId: randomUUID(), payload }) as Promise<
        ReplyOf<(typeof cannedCommands)[K]>
      >,
    query: <K extends CannedQueryName>(name: K, payload: RequestOf<(typeof cannedQueries)[K]>) =>
      queries(name, { actor, correlationId: randomUUID(), payload }) as Promise<
        ReplyOf<(typeof cannedQueries)[K]>
      >,
  };
};

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
    return "ok";
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
};

const eventCount = async (): Promise<number> =>
  Number((await h.sql`select count(*) as n from events`)[0]!.n);

describe("canned responses in the chat service", () => {
  it("stores a created response as its own stream and lists it to support staff", async () => {
    const created = await as(manager).command("createCannedResponse", {
      title: "Where is my order",
      shortcut: "/Order",
      text: "You can follow your parcel with the link in your e-mail.",
    });
    expect(created).toMatchObject({ shortcut: "order", version: 1, updatedByName: manager.name });
    const rows = await h.sql`select type, stream_position, metadata from events
      where stream_id = ${cannedStreamId(created.id)}`;
    expect(rows.map((r) => [r.type, r.stream_position])).toEqual([["CannedResponseCreated", 1]]);
    expect(rows[0]!.metadata).toMatchObject({ actor: manager });
    const { responses } = await as(agent).query("listCannedResponses", {});
    expect(responses).toContainEqual(created);
  });

  it("refuses customers the list, and agents every change, recording nothing", async () => {
    const before = await eventCount();
    expect(await codeOf(as(customer).query("listCannedResponses", {}))).toBe("FORBIDDEN");
    const payload = { title: "Mine", shortcut: "mine", text: "Agent's own text" };
    expect(await codeOf(as(agent).command("createCannedResponse", payload))).toBe("FORBIDDEN");
    expect(await codeOf(as(customer).command("createCannedResponse", payload))).toBe("FORBIDDEN");
    expect(await eventCount()).toBe(before);
  });

  it("lets exactly one of many concurrent creates of one shortcut win", async () => {
    const shortcut = `race-${randomUUID().slice(0, 8)}`;
    const before = await eventCount();
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        codeOf(
          as(manager).command("createCannedResponse", {
            title: `Contender ${i}`,
            shortcut,
            text: `Text number ${i}`,
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "CONFLICT")).toHaveLength(11);
    expect(await eventCount()).toBe(before + 1);
    const live = await h.sql`select count(*) as n from canned_responses
      where shortcut = ${shortcut} and deleted_at is null`;
    expect(Number(live[0]!.n)).toBe(1);
  });

  it("lets exactly one of two concurrent edits made on the same version win", async () => {
    const created = await as(manager).command("createCannedResponse", {
      title: "Opening hours",
      shortcut: `hours-${randomUUID().slice(0, 8)}`,
      text: "We answer from 9 to 5.",
    });
    const outcomes = await Promise.all(
      ["We answer from 8 to 6.", "We answer around the clock."].map((text) =>
        codeOf(as(manager).command("editCannedResponse", { id: created.id, version: 1, text })),
      ),
    );
    expect(outcomes.sort()).toEqual(["CONFLICT", "ok"]);
    const { responses } = await as(agent).query("listCannedResponses", {});
    expect(responses.find((r) => r.id === created.id)?.version).toBe(2);
  });

  it("frees a deleted response's shortcut and lists it no more", async () => {
    const shortcut = `bye-${randomUUID().slice(0, 8)}`;
    const first = await as(manager).command("createCannedResponse", {
      title: "Goodbye",
      shortcut,
      text: "Have a nice day!",
    });
    expect(await as(manager).command("deleteCannedResponse", { id: first.id, version: 1 })).toEqual(
      { id: first.id, version: 2 },
    );
    const second = await as(manager).command("createCannedResponse", {
      title: "Goodbye again",
      shortcut,
      text: "Bye!",
    });
    const { responses } = await as(agent).query("listCannedResponses", {});
    expect(responses.filter((r) => r.shortcut === shortcut).map((r) => r.id)).toEqual([second.id]);
    expect(await codeOf(as(manager).command("deleteCannedResponse", { id: first.id }))).toBe(
      "NOT_FOUND",
    );
  });

  it("publishes its events to the event stream like every other event", async () => {
    const created = await as(manager).command("createCannedResponse", {
      title: "Published",
      shortcut: `pub-${randomUUID().slice(0, 8)}`,
      text: "Out it goes.",
    });
    const published = await h.publishedEvents(await eventCount());
    const mine = published.filter((e) => e.metadata.streamId === cannedStreamId(created.id));
    expect(mine).toEqual([
      expect.objectContaining({
        type: "CannedResponseCreated",
        data: expect.objectContaining({ cannedResponseId: created.id }),
      }),
    ]);
  });
});
