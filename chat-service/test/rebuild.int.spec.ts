import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  cannedCommands,
  type Actor,
  type CannedCommandName,
  type ReplyOf,
  type RequestOf,
} from "@support-chat/contracts";
import { requesterFor } from "@support-chat/service-kit";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, startHarness, type Harness } from "./harness.js";

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.start({ RELAY_ENABLED: "false" });
});
afterAll(async () => {
  await h?.close();
});

/** Both projections as the database prints them, in a fixed order. */
const dump = async (): Promise<string> => {
  const rooms = await h.sql`select row_to_json(r)::text as row
    from (select * from chat_rooms order by id) r`;
  const messages = await h.sql`select row_to_json(m)::text as row
    from (select * from chat_messages order by chat_room_id, seq) m`;
  return [...rooms, ...messages, ...(await notesAndSearch())]
    .map((r) => r.row as string)
    .join("\n");
};

/** Notes and search documents (with their generated tsvector), in a fixed order. */
const notesAndSearch = async () => {
  const notes = await h.sql`select row_to_json(n)::text as row
    from (select * from room_notes order by room_id, created_at, id) n`;
  const documents = await h.sql`select row_to_json(d)::text as row
    from (select *, document::text as terms from search_documents order by id) d`;
  return [...notes, ...documents];
};

const rebuild = () =>
  run("npm", ["run", "rebuild-projections", "-w", "@support-chat/chat-service"], {
    cwd: repositoryRoot,
    env: { ...process.env, DATABASE_URL: h.database.url, LOG_LEVEL: "warn" },
  });

const playConversations = async () => {
  const router = h.as(people.router());
  const manager = h.as(people.manager());
  const say = (who: ReturnType<Harness["as"]>, roomId: string, id: string) =>
    who.command("postMessage", {
      roomId,
      clientMessageId: id,
      message: `${who.actor.name}: ${id}`,
    });

  for (let n = 1; n <= 3; n++) {
    const customer = h.as(people.customer(n));
    const agent = h.as(people.agent(n));
    const room = await customer.command("openRoom", {});
    await say(customer, room.id, "hello");
    await say(customer, room.id, "anyone");
    await router.command("assignRoom", {
      roomId: room.id,
      agentId: agent.actor.id,
      agentName: agent.actor.name,
      maxChats: 5,
    });
    await say(agent, room.id, "hi-there");
    await agent.command("addNote", {
      roomId: room.id,
      clientNoteId: "n-1",
      text: `note about ${customer.actor.name}`,
    });
    await agent.command("addLabel", { roomId: room.id, label: `Topic ${n}` });
    await agent.command("addLabel", { roomId: room.id, label: "follow-up" });
    if (n === 2) await manager.command("removeLabel", { roomId: room.id, label: "topic-2" });
    await agent.command("markRead", { roomId: room.id });
    if (n === 1) {
      await router.command("requeueRoom", { roomId: room.id, reason: "agent_offline" });
      await h.as(people.agent(9)).command("claimRoom", { roomId: room.id });
    }
    if (n === 2) {
      await manager.command("transferRoom", { roomId: room.id, agentId: "agent-9" });
      await customer.command("markRead", { roomId: room.id });
    }
    await say(customer, room.id, "thanks");
    if (n !== 3) {
      await customer.command("closeRoom", { roomId: room.id });
      const reopened = await customer.command("openRoom", {});
      await say(customer, reopened.id, "one-more-thing");
    }
  }
};

describe("rebuilding the projections from the log", () => {
  it("gives byte-identical tables", async () => {
    await playConversations();
    const before = await dump();
    // rooms + messages + notes + search documents (rooms, messages and notes)
    expect(before.split("\n")).toHaveLength(5 + 14 + 3 + (5 + 14 + 3));
    expect(before).toContain("topic-1");

    // Damage the projections so that a rebuild that did nothing could not pass.
    await h.sql`delete from chat_messages where seq = 1`;
    await h.sql`update chat_rooms set unread_for_support = 42, status = 'closed'`;
    await h.sql`update chat_rooms set labels = '{}'`;
    await h.sql`delete from room_notes`;
    await h.sql`update search_documents set body = 'damaged'`;
    expect(await dump()).not.toBe(before);

    const { stderr } = await rebuild();
    expect(stderr).not.toMatch(/error/i);
    expect(await dump()).toBe(before);
  });

  it("gives identical canned responses, deleted ones included", async () => {
    const canned = cannedAs(people.manager());
    const refund = await canned("createCannedResponse", {
      title: "Refunds",
      shortcut: "refund",
      text: "Refunds take 5 days.",
    });
    const hello = await canned("createCannedResponse", {
      title: "Hello",
      shortcut: "hi",
      text: "Hello, how can I help?",
    });
    await canned("editCannedResponse", { id: refund.id, version: 1, text: "Refunds take 3 days." });
    await canned("deleteCannedResponse", { id: hello.id, version: 1 });
    // The shortcut of the deleted one, taken again.
    await canned("createCannedResponse", { title: "Hi", shortcut: "hi", text: "Hi there!" });
    const dumpCanned = async () =>
      (
        await h.sql`select row_to_json(c)::text as row
          from (select * from canned_responses order by id) c`
      )
        .map((r) => r.row as string)
        .join("\n");
    const before = await dumpCanned();
    expect(before.split("\n")).toHaveLength(3);

    await h.sql`delete from canned_responses where id = ${refund.id}`;
    await h.sql`update canned_responses set deleted_at = now(), text = 'tampered'`;
    expect(await dumpCanned()).not.toBe(before);

    const { stderr } = await rebuild();
    expect(stderr).not.toMatch(/error/i);
    expect(await dumpCanned()).toBe(before);
  });

  it("gives identical attachments and messages that carry them", async () => {
    const customer = h.as(people.customer(7));
    const agent = h.as(people.agent(7));
    const room = await customer.command("openRoom", {});
    const record = (who: typeof customer, name: string, contentType: string) =>
      who.command("recordAttachment", {
        roomId: room.id,
        attachmentId: randomUUID(),
        name,
        contentType,
        size: 1234,
        sha256: "0f".repeat(32),
      });
    const photo = await record(customer, "broken vase.png", "image/png");
    const label = await record(agent, "return label.pdf", "application/pdf");
    await record(customer, "never sent.txt", "text/plain");
    const post = (who: typeof customer, id: string, message: string, attachments: string[]) =>
      who.command("postMessage", { roomId: room.id, clientMessageId: id, message, attachments });
    await post(agent, "a-1", "Print this label", [label.id, photo.id]);
    await post(customer, "a-2", "", [photo.id]);

    const dumpAttachments = async () =>
      [
        ...(await h.sql`select row_to_json(a)::text as row
          from (select * from chat_attachments where chat_room_id = ${room.id} order by id) a`),
        ...(await h.sql`select row_to_json(m)::text as row
          from (select * from chat_messages where chat_room_id = ${room.id} order by seq) m`),
        ...(await h.sql`select row_to_json(r)::text as row
          from (select * from chat_rooms where id = ${room.id}) r`),
      ]
        .map((r) => r.row as string)
        .join("\n");
    const before = await dumpAttachments();
    expect(before.split("\n")).toHaveLength(3 + 2 + 1);
    expect(before).toContain(`"last_message":"📎 broken vase.png"`);

    await h.sql`delete from chat_attachments where name = 'return label.pdf'`;
    await h.sql`update chat_messages set attachments = '[]' where chat_room_id = ${room.id}`;
    expect(await dumpAttachments()).not.toBe(before);

    const { stderr } = await rebuild();
    expect(stderr).not.toMatch(/error/i);
    expect(await dumpAttachments()).toBe(before);
  });

  it("gives identical report tables", async () => {
    const dumpReports = async () => {
      const rooms = await h.sql`select row_to_json(r)::text as row
        from (select * from report_rooms order by room_id) r`;
      const spans = await h.sql`select row_to_json(s)::text as row
        from (select * from report_assignments order by room_id, n) s`;
      return [...rooms, ...spans].map((r) => r.row as string).join("\n");
    };
    // The conversations played by the first test: the requeued room and the transferred one
    // have a second stretch with an agent.
    const before = await dumpReports();
    expect(before).toContain('"n":2');
    expect(before).toContain('"first_response_at":"');

    await h.sql`delete from report_assignments where n = 2`;
    await h.sql`update report_rooms set closed_at = null, first_response_at = null`;
    expect(await dumpReports()).not.toBe(before);

    const { stderr } = await rebuild();
    expect(stderr).not.toMatch(/error/i);
    expect(await dumpReports()).toBe(before);
  });
});

/** Canned-response commands as `actor`, straight over NATS. */
const cannedAs =
  (actor: Actor) =>
  <K extends CannedCommandName>(name: K, payload: RequestOf<(typeof cannedCommands)[K]>) =>
    requesterFor({
      nc: h.nc,
      operations: cannedCommands,
      subjectOf: h.subjects.cannedCommand,
      timeoutMs: 10_000,
    })(name, { actor, correlationId: randomUUID(), payload }) as Promise<
      ReplyOf<(typeof cannedCommands)[K]>
    >;
