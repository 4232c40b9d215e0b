import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatRoom, RoomNote } from "@support-chat/contracts";
import { ChatClient, eventually, person, rest, type Person } from "../src/clients.js";
import { startSmtpSink, type SmtpSink } from "../src/smtp-sink.js";
import { startStack, type Stack } from "../src/stack.js";

/**
 * Private notes never reach a customer, by any route: every REST route a customer may call,
 * every page of the history, the room views, the socket pushes during and after the note, a
 * fresh socket joined later, and the notes route itself. Labels likewise stay with support.
 */
describe("private notes and labels stay with support staff", () => {
  let stack: Stack;
  let sql: postgres.Sql;
  let smtp: SmtpSink;
  let customer: Person;
  let stranger: Person;
  let agent: Person;
  let colleague: Person;
  let roomId: string;
  let customerSocket: ChatClient;
  let agentSocket: ChatClient;
  const clients: ChatClient[] = [];
  const marker = `NOTE-${randomUUID()}`;
  const label = `secret-${randomUUID().slice(0, 8)}`;
  const lines = Array.from({ length: 7 }, (_, i) => `customer line ${i + 1}`);

  const eventCount = async () => {
    const [row] = await sql<[{ n: number }]>`select count(*)::int as n from events`;
    return row.n;
  };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({
      env: { ROUTING_POLICY: "manual", SMTP_URL: smtp.url, MAIL_FROM: "support@shop.example" },
    });
    sql = postgres(stack.database.url, { max: 1, onnotice: () => {} });
    customer = person(stack.jwtSecret, "customer", "Carla Customer");
    stranger = person(stack.jwtSecret, "customer", "Oscar Other");
    agent = person(stack.jwtSecret, "agent", "Andy Agent");
    colleague = person(stack.jwtSecret, "agent", "Bea Colleague");
    const url = stack.gatewayUrl;
    roomId = ((await rest(url, customer, "GET", "/chat/room")).body as ChatRoom).id;
    for (const [i, message] of lines.entries()) {
      await rest(url, customer, "POST", `/chat/room/${roomId}/messages`, {
        message,
        clientMessageId: `line-${i}`,
      });
    }
    expect((await rest(url, agent, "POST", `/chat/support/room/${roomId}/assign`)).status).toBe(
      200,
    );
    customerSocket = await ChatClient.connect(url, customer);
    agentSocket = await ChatClient.connect(url, agent);
    clients.push(customerSocket, agentSocket);
    await customerSocket.send("joinRoom", { roomId });
    await agentSocket.send("joinRoom", { roomId });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await sql?.end();
    await stack?.stop();
    await smtp?.close();
  });

  it("support staff add a note and a label; every agent sees them, live and over REST", async () => {
    const url = stack.gatewayUrl;
    const added = await rest(url, agent, "POST", `/chat/support/room/${roomId}/notes`, {
      text: `refund approved, ${marker}`,
      clientNoteId: "note-1",
    });
    expect(added.status).toBe(201);
    const note = added.body as RoomNote;
    expect(note).toMatchObject({ roomId, authorId: agent.id, afterSeq: lines.length });
    expect(await agentSocket.waitFor("noteAdded", (n) => n.id === note.id)).toMatchObject({
      text: `refund approved, ${marker}`,
    });
    const listed = await rest(url, colleague, "GET", `/chat/support/room/${roomId}/notes`);
    expect((listed.body as RoomNote[]).map((n) => n.id)).toEqual([note.id]);

    const labelled = await rest(url, agent, "POST", `/chat/support/room/${roomId}/labels`, {
      label,
    });
    expect((labelled.body as ChatRoom).labels).toEqual([label]);
    await agentSocket.waitFor(
      "roomUpdated",
      (p) => p.room.id === roomId && !!p.room.labels?.length,
    );

    // Pushes keep the log's order: once the customer has this message, anything the note or
    // the label would have pushed to them has arrived before it.
    await agentSocket.send("sendMessage", {
      roomId,
      message: "after the note",
      clientMessageId: "after",
    });
    await customerSocket.waitFor("newMessage", (m) => m.clientMessageId === "after");
  });

  it("the customer's sockets received nothing of it, during or after", async () => {
    const seen = JSON.stringify(customerSocket.received);
    expect(customerSocket.received.length).toBeGreaterThan(0);
    expect(customerSocket.received.map((r) => r.event)).not.toContain("noteAdded");
    expect(seen).not.toContain(marker);
    expect(seen).not.toContain(label);
    expect(seen).not.toContain('"labels"');

    // A socket opened afterwards, joining the room again: its view carries neither.
    const later = await ChatClient.connect(stack.gatewayUrl, customer);
    clients.push(later);
    const joined = await later.send("joinRoom", { roomId });
    expect(joined.status).toBe("OK");
    expect(JSON.stringify(joined)).not.toContain(marker);
    expect(JSON.stringify(joined)).not.toContain(label);
  });

  it("no REST route a customer may call returns the note or the label", async () => {
    const url = stack.gatewayUrl;
    const last = lines.length + 1;
    const paths = [
      "/chat/room",
      `/chat/room/${roomId}`,
      `/chat/room/${roomId}/queue`,
      `/chat/room/${roomId}/messages`,
      `/chat/room/${roomId}/messages?limit=1`,
      `/chat/room/${roomId}/messages?limit=200`,
      `/chat/room/${roomId}/messages?after=0`,
      `/chat/room/${roomId}/messages?after=0&limit=2`,
      `/chat/room/${roomId}/messages?after=${lines.length}`,
      `/chat/room/${roomId}/messages?after=${last}`,
      `/chat/room/${roomId}/messages?before=${last + 1}`,
      `/chat/room/${roomId}/messages?before=${last}&limit=3`,
      `/chat/room/${roomId}/messages?before=2`,
    ];
    const history: number[] = [];
    for (const path of paths) {
      const reply = await rest(url, customer, "GET", path);
      expect(reply.status, path).toBe(200);
      const text = JSON.stringify(reply.body);
      expect(text, path).not.toContain(marker);
      expect(text, path).not.toContain(label);
      expect(text, path).not.toContain("refund approved");
      if (path.endsWith("?limit=200")) {
        history.push(...(reply.body as Array<{ seq: number }>).map((m) => m.seq));
      }
    }
    // The history is exactly the messages: a note takes no seq and leaves no gap.
    expect(history).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    const room = (await rest(url, customer, "GET", `/chat/room/${roomId}`)).body as ChatRoom;
    expect(room.lastMessage).toBe("after the note");
    expect(room).not.toHaveProperty("labels");
  });

  it("the notes, labels and search routes refuse customers clearly and change nothing", async () => {
    const url = stack.gatewayUrl;
    const before = await eventCount();
    for (const who of [customer, stranger]) {
      const calls: Array<[string, string, unknown?]> = [
        ["GET", `/chat/support/room/${roomId}/notes`],
        ["POST", `/chat/support/room/${roomId}/notes`, { text: "me too", clientNoteId: "c" }],
        ["POST", `/chat/support/room/${roomId}/labels`, { label: "mine" }],
        ["DELETE", `/chat/support/room/${roomId}/labels/${label}`],
        ["GET", `/chat/support/search?q=${encodeURIComponent(marker)}`],
        ["GET", `/chat/support/rooms?label=${label}`],
      ];
      for (const [method, path, body] of calls) {
        const reply = await rest(url, who, method, path, body);
        expect(reply.status, `${who.name} ${method} ${path}`).toBe(403);
        expect(reply.body).toMatchObject({
          error: { code: "FORBIDDEN", message: expect.stringMatching(/support/) },
        });
        expect(JSON.stringify(reply.body)).not.toContain(marker);
      }
    }
    const anonymous = await rest(url, null, "GET", `/chat/support/room/${roomId}/notes`);
    expect(anonymous.status).toBe(401);
    expect(await eventCount()).toBe(before);
  });

  it("the e-mailed transcript has the messages and not the note; there is no export route", async () => {
    const url = stack.gatewayUrl;
    const email = `carla-${randomUUID().slice(0, 8)}@shop.example`;
    const asked = await rest(url, customer, "POST", `/chat/room/${roomId}/transcript`, { email });
    expect(asked.status).toBe(202);
    await eventually(() => smtp.to(email).length > 0, "the transcript e-mail");
    const [mail] = smtp.to(email);
    expect(mail!.text).toContain("customer line 3");
    expect(mail!.text).toContain("after the note");
    for (const part of [mail!.subject, mail!.text, mail!.html]) {
      expect(part).not.toContain(marker);
      expect(part).not.toContain("refund approved");
      expect(part).not.toContain(label);
    }
    for (const path of [
      `/chat/room/${roomId}/transcript`,
      `/chat/room/${roomId}/export`,
      `/chat/room/${roomId}/notes`,
    ]) {
      const reply = await rest(url, customer, "GET", path);
      expect(reply.status, path).toBe(404);
      expect(JSON.stringify(reply.body)).not.toContain(marker);
    }
  });

  it("support staff find the room by the note's words, its label and the customer's name", async () => {
    const url = stack.gatewayUrl;
    for (const q of [marker, label, "Carla", '"customer line 3"']) {
      const reply = await rest(
        url,
        colleague,
        "GET",
        `/chat/support/search?q=${encodeURIComponent(q)}`,
      );
      expect(reply.status, q).toBe(200);
      expect(
        (reply.body as Array<{ roomId: string }>).map((r) => r.roomId),
        q,
      ).toContain(roomId);
    }
    const byLabel = await rest(url, colleague, "GET", `/chat/support/rooms?label=${label}`);
    expect((byLabel.body as ChatRoom[]).map((r) => r.id)).toEqual([roomId]);
  });
});
