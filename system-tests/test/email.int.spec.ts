import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatRoom, RoomRating } from "@support-chat/contracts";
import { ChatClient, eventually, person, rest, type Person } from "../src/clients.js";
import { startSmtpSink, type SmtpSink } from "../src/smtp-sink.js";
import { startStack, type Stack } from "../src/stack.js";

/** Long enough for the notification service to have handled what came before. */
const SETTLE_MS = 2000;
const AWAY_SECONDS = 1;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A customer whose storefront token carries a verified e-mail address. */
const customerWithEmail = (secret: string, name: string): Person & { email: string } => {
  const id = `customer-${randomUUID()}`;
  const email = `${id}@shop.example`;
  const token = jwt.sign({ sub: id, name, role: "customer", email }, secret, {
    algorithm: "HS256",
    expiresIn: "1h",
  });
  return { id, name, role: "customer", token, email };
};

describe("e-mail: transcripts, offline notices and ratings through the whole stack", () => {
  let smtp: SmtpSink;
  let stack: Stack;
  let agent: Person;
  let agentSocket: ChatClient;
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({
      env: {
        ROUTING_POLICY: "manual",
        SMTP_URL: smtp.url,
        MAIL_FROM: "Shop Support <support@shop.example>",
        PUBLIC_WEB_URL: "http://shop.example/",
        OFFLINE_NOTICE_AFTER_SECONDS: String(AWAY_SECONDS),
        PRESENCE_HEARTBEAT_MS: "500",
      },
    });
    agent = person(stack.jwtSecret, "agent", "Andy Agent");
    agentSocket = await ChatClient.connect(stack.gatewayUrl, agent);
    clients.push(agentSocket);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await stack?.stop();
    await smtp?.close();
  });

  const say = async (who: Person, roomId: string, message: string) => {
    const res = await rest(stack.gatewayUrl, who, "POST", `/chat/room/${roomId}/messages`, {
      message,
      clientMessageId: randomUUID(),
    });
    expect(res.status).toBe(201);
  };

  /** The customer opens a room and writes; the agent claims it. */
  const roomOf = async (customer: Person, firstWords: string) => {
    const room = (await rest(stack.gatewayUrl, customer, "GET", "/chat/room")).body as ChatRoom;
    await say(customer, room.id, firstWords);
    const claimed = await rest(
      stack.gatewayUrl,
      agent,
      "POST",
      `/chat/support/room/${room.id}/assign`,
    );
    expect(claimed.status).toBe(200);
    return room;
  };

  it("says e-mail is on", async () => {
    const customer = customerWithEmail(stack.jwtSecret, "Fay");
    const res = await rest(stack.gatewayUrl, customer, "GET", "/chat/features");
    expect(res).toMatchObject({ status: 200, body: { transcripts: true, offlineNotices: true } });
  });

  it("e-mails the transcript once, as text and escaped HTML, without private notes", async () => {
    const customer = customerWithEmail(stack.jwtSecret, "Carla <Customer>");
    const room = await roomOf(customer, "<script>alert('x')</script> where is order #12 & co?");
    await say(agent, room.id, "It ships <b>today</b>.");
    const note = await rest(
      stack.gatewayUrl,
      agent,
      "POST",
      `/chat/support/room/${room.id}/notes`,
      {
        text: "PRIVATE: refund approved by finance",
        clientNoteId: randomUUID(),
      },
    );
    expect(note.status).toBe(201);

    const asked = await rest(
      stack.gatewayUrl,
      customer,
      "POST",
      `/chat/room/${room.id}/transcript`,
      {},
    );
    expect(asked).toMatchObject({ status: 202, body: { roomId: room.id, email: customer.email } });

    const transcripts = () => smtp.to(customer.email).filter((m) => /^Transcript/.test(m.subject));
    await eventually(() => transcripts().length > 0, "the transcript e-mail");
    await pause(SETTLE_MS);
    const mails = transcripts();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.from).toBe("support@shop.example");
    expect(mail!.subject).toMatch(/^Transcript of your support chat/);
    expect(mail!.text).toContain(
      "Carla <Customer>: <script>alert('x')</script> where is order #12 & co?",
    );
    expect(mail!.text).toContain("Andy Agent (support): It ships <b>today</b>.");
    expect(mail!.text).toContain("http://shop.example/#support-chat");
    expect(mail!.html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(mail!.html).toContain("It ships &lt;b&gt;today&lt;/b&gt;.");
    expect(mail!.html).toContain("Carla &lt;Customer&gt;");
    expect(mail!.html).not.toContain("<script>");
    expect(mail!.html).not.toContain("<b>today");
    for (const part of [mail!.text, mail!.html]) expect(part).not.toContain("PRIVATE");
  });

  it("sends the opted-in transcript at close, and shows the customer's rating live to support", async () => {
    const customer = customerWithEmail(stack.jwtSecret, "Olga");
    const room = await roomOf(customer, "Can you send me this chat later?");
    const optIn = await rest(
      stack.gatewayUrl,
      customer,
      "PUT",
      `/chat/room/${room.id}/transcript-at-close`,
      { enabled: true, email: "Olga.Other@Shop.Example" },
    );
    expect(optIn).toMatchObject({ status: 200, body: { email: "olga.other@shop.example" } });
    const early = await rest(stack.gatewayUrl, customer, "POST", `/chat/room/${room.id}/rating`, {
      score: 5,
    });
    expect(early.status).toBe(409);

    expect(
      (await rest(stack.gatewayUrl, agent, "POST", `/chat/room/${room.id}/close`)).status,
    ).toBe(200);
    await eventually(
      () => smtp.to("olga.other@shop.example").length > 0,
      "the transcript at close",
    );

    const rated = await rest(stack.gatewayUrl, customer, "POST", `/chat/room/${room.id}/rating`, {
      score: 4,
      comment: "Helpful <3",
    });
    expect(rated).toMatchObject({ status: 201, body: { score: 4, comment: "Helpful <3" } });
    const pushed = await agentSocket.waitFor("roomRated", (p) => p.roomId === room.id);
    expect(pushed).toMatchObject({ score: 4, comment: "Helpful <3" });
    const seen = await rest(stack.gatewayUrl, agent, "GET", `/chat/room/${room.id}`);
    expect((seen.body as ChatRoom).rating).toEqual(rated.body as RoomRating);

    const again = await rest(stack.gatewayUrl, customer, "POST", `/chat/room/${room.id}/rating`, {
      score: 1,
    });
    expect(again.status).toBe(409);
    expect(smtp.to("olga.other@shop.example")).toHaveLength(1);
  });

  it("notifies an away customer once per absence, and never while they are connected", async () => {
    const customer = customerWithEmail(stack.jwtSecret, "Dana");
    const room = await roomOf(customer, "I will wait for your answer");
    const notices = () => smtp.to(customer.email).filter((m) => /replied/.test(m.subject));

    // Connected: replies reach the socket, no e-mail.
    const tab = await ChatClient.connect(stack.gatewayUrl, customer);
    await say(agent, room.id, "Looking into it");
    await pause(SETTLE_MS);
    expect(notices()).toHaveLength(0);

    // Away for longer than the threshold: a burst of replies sends one notice.
    tab.close();
    await pause(AWAY_SECONDS * 1000 + 300);
    await say(agent, room.id, "Found it: <your parcel> is at the depot");
    await say(agent, room.id, "It will be delivered tomorrow");
    await say(agent, room.id, "Anything else?");
    await eventually(() => notices().length > 0, "the offline notice");
    await pause(SETTLE_MS);
    expect(notices()).toHaveLength(1);
    const [notice] = notices();
    expect(notice!.subject).toBe("Andy Agent replied to your support chat");
    expect(notice!.text).toContain("Found it: <your parcel> is at the depot");
    expect(notice!.text).toContain("http://shop.example/#support-chat");
    expect(notice!.html).toContain("&lt;your parcel&gt;");

    // Back and away again: the next reply starts a new burst, so one more notice.
    const again = await ChatClient.connect(stack.gatewayUrl, customer);
    again.close();
    await pause(AWAY_SECONDS * 1000 + 300);
    await say(agent, room.id, "Following up on your parcel");
    await eventually(() => notices().length > 1, "the notice of the second absence");
    await pause(SETTLE_MS);
    expect(notices()).toHaveLength(2);
  });

  it("does not notify a customer who left only moments ago", async () => {
    const customer = customerWithEmail(stack.jwtSecret, "Eli");
    const room = await roomOf(customer, "Quick question");
    const tab = await ChatClient.connect(stack.gatewayUrl, customer);
    tab.close();
    await say(agent, room.id, "Quick answer");
    await pause(SETTLE_MS);
    expect(smtp.to(customer.email)).toHaveLength(0);
  });
});

describe("e-mail without SMTP settings", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ROUTING_POLICY: "manual" }, assignment: false });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("is off, says so, and refuses transcript requests without recording them", async () => {
    const customer = customerWithEmail(stack.jwtSecret, "Nia");
    const features = await rest(stack.gatewayUrl, customer, "GET", "/chat/features");
    expect(features.body).toEqual({ transcripts: false, offlineNotices: false });
    const room = (await rest(stack.gatewayUrl, customer, "GET", "/chat/room")).body as ChatRoom;
    const asked = await rest(
      stack.gatewayUrl,
      customer,
      "POST",
      `/chat/room/${room.id}/transcript`,
      {},
    );
    expect(asked).toMatchObject({ status: 503, body: { error: { code: "UNAVAILABLE" } } });
  });
});
