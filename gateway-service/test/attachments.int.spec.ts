import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AttachmentDescriptor,
  ChatMessage,
  ChatRoom,
  type AttachmentDescriptor as Descriptor,
} from "@support-chat/contracts";
import {
  exeBytes,
  largePng,
  pdfBytes,
  solidPng,
  textBytes,
} from "@support-chat/test-support/sample-files";
import {
  ackData,
  ackError,
  connectSocket,
  emitWithAck,
  expectRestError,
  rest,
  restData,
} from "./support/clients.js";
import { startHarness, type Harness, type Person } from "./support/harness.js";

const MAX_BYTES = 64 * 1024;
const GIF = Buffer.from("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;", "latin1");

let h: Harness;
let dir: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "attachments-"));
  h = await startHarness({
    env: {
      ATTACHMENT_DIR: dir,
      ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
      // GIFs left out on purpose: an allowed format that operators did not allow.
      ATTACHMENT_TYPES: "image/png,image/jpeg,application/pdf,text/plain",
    },
  });
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});
afterAll(async () => {
  await h?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Every file the store holds, partial ones included. */
const storedFiles = async (): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => e.name);

const upload = async (
  who: Person | null,
  roomId: string,
  bytes: Buffer,
  name: string,
  type = "application/octet-stream",
) => {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type }), name);
  const res = await fetch(`${h.url}/api/chat/room/${roomId}/attachments`, {
    method: "POST",
    headers: who ? { authorization: `Bearer ${who.token}` } : {},
    body: form,
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: res.headers,
  };
};

const download = (who: Person | null, roomId: string, attachmentId: string) =>
  fetch(`${h.url}/api/chat/room/${roomId}/attachments/${attachmentId}`, {
    headers: who ? { authorization: `Bearer ${who.token}` } : {},
  });

const openRoom = async (customer: Person): Promise<ChatRoom> =>
  restData(await rest(h.url, customer, "GET", "/chat/room"), 200, ChatRoom);

const uploaded = async (who: Person, roomId: string, bytes: Buffer, name: string, type?: string) =>
  restData(await upload(who, roomId, bytes, name, type), 201, AttachmentDescriptor);

const postWith = (who: Person, roomId: string, attachments: string[], message = "") =>
  rest(h.url, who, "POST", `/chat/room/${roomId}/messages`, {
    message,
    clientMessageId: randomUUID(),
    attachments,
  });

/** Runs a refused request and proves it changed nothing: no event, no stored bytes. */
const changesNothing = async (refused: () => Promise<void>) => {
  const events = await h.eventCount();
  const files = await storedFiles();
  await refused();
  expect(await h.eventCount()).toBe(events);
  expect(await storedFiles()).toEqual(files);
};

describe("uploading, sending and downloading an attachment", () => {
  it("stores the file under its id, records it, and sends it in a message", async () => {
    const customer = h.person("customer");
    const agent = h.person("agent");
    const room = await openRoom(customer);
    const png = solidPng(8);

    const attachment = await uploaded(customer, room.id, png, "Broken vase.png", "image/png");
    expect(attachment).toEqual({
      id: expect.any(String),
      name: "Broken vase.png",
      contentType: "image/png",
      size: png.length,
    });
    // On disk under its id, never under the client's name.
    expect(await storedFiles()).toContain(attachment.id);
    expect((await storedFiles()).some((f) => f.includes("vase"))).toBe(false);

    const sent = restData(await postWith(customer, room.id, [attachment.id]), 201, ChatMessage);
    expect(sent).toMatchObject({ message: "", attachments: [attachment] });

    const history = restData(
      await rest(h.url, agent, "GET", `/chat/room/${room.id}/messages`),
      200,
      z.array(ChatMessage),
    );
    expect(history.at(-1)).toMatchObject({ id: sent.id, attachments: [attachment] });
    const listed = restData(
      await rest(h.url, agent, "GET", "/chat/support/rooms"),
      200,
      z.array(ChatRoom),
    );
    expect(listed.find((r) => r.id === room.id)?.lastMessage).toBe("📎 Broken vase.png");

    for (const reader of [customer, agent]) {
      const res = await download(reader, room.id, attachment.id);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(res.headers.get("content-length")).toBe(String(png.length));
      expect(res.headers.get("content-disposition")).toBe(
        `inline; filename="Broken vase.png"; filename*=UTF-8''Broken%20vase.png`,
      );
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).toMatch(/^private\b/);
    }
  });

  it("offers documents as downloads and lets agents attach over the socket", async () => {
    const customer = h.person("customer");
    const agent = h.person("agent");
    const room = await openRoom(customer);
    const pdf = await uploaded(agent, room.id, pdfBytes(), "../../Invoice 2024.pdf");
    expect(pdf).toMatchObject({ name: "Invoice 2024.pdf", contentType: "application/pdf" });
    const text = await uploaded(agent, room.id, textBytes(), "tracking.txt", "text/plain");

    const socket = await connectSocket(h.url, agent);
    sockets.push(socket);
    const sent = ackData(
      await emitWithAck(socket, "sendMessage", {
        roomId: room.id,
        message: "Your invoice and the tracking number",
        clientMessageId: "with-files",
        attachments: [pdf.id, text.id],
      }),
      ChatMessage,
    );
    expect(sent.attachments?.map((a: Descriptor) => a.id)).toEqual([pdf.id, text.id]);

    const res = await download(customer, room.id, pdf.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="Invoice 2024.pdf"/,
    );
    expect(res.headers.get("content-type")).toBe("application/pdf");
  });
});

describe("refusals change nothing", () => {
  it("refuses an oversized file (declared or streamed) with 413", async () => {
    const customer = h.person("customer");
    const room = await openRoom(customer);
    await changesNothing(async () => {
      // Within the multipart allowance, so only the streamed count can catch it.
      expectRestError(
        await upload(customer, room.id, largePng(MAX_BYTES + 1), "big.png", "image/png"),
        413,
        "PAYLOAD_TOO_LARGE",
      );
      // Far past it: refused from Content-Length before a byte is read.
      expectRestError(
        await upload(customer, room.id, largePng(4 * MAX_BYTES), "huge.png", "image/png"),
        413,
        "PAYLOAD_TOO_LARGE",
      );
    });
  });

  it("refuses disguised and disallowed files with 415", async () => {
    const customer = h.person("customer");
    const room = await openRoom(customer);
    await changesNothing(async () => {
      const disguised = expectRestError(
        await upload(customer, room.id, exeBytes(), "cat.png", "image/png"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      );
      expect(disguised.message).toMatch(/x-msdownload/);
      expectRestError(
        await upload(customer, room.id, pdfBytes(), "photo.png", "image/png"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      );
      expectRestError(
        await upload(customer, room.id, GIF, "wave.gif"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      );
      expectRestError(
        await upload(customer, room.id, exeBytes(), "setup.exe"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      );
    });
  });

  it("refuses what is not one file in the field 'file' with 400", async () => {
    const customer = h.person("customer");
    const room = await openRoom(customer);
    const path = `/chat/room/${room.id}/attachments`;
    await changesNothing(async () => {
      expectRestError(
        await rest(h.url, customer, "POST", path, { file: "x" }),
        400,
        "VALIDATION_FAILED",
      );
      expectRestError(
        await upload(customer, room.id, Buffer.alloc(0), "empty.txt"),
        400,
        "VALIDATION_FAILED",
      );
      const two = new FormData();
      two.append("file", new Blob([solidPng()]), "a.png");
      two.append("file", new Blob([solidPng()]), "b.png");
      const other = new FormData();
      other.append("picture", new Blob([solidPng()]), "a.png");
      for (const body of [two, other, new FormData()]) {
        const res = await fetch(`${h.url}/api${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${customer.token}` },
          body,
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
      }
    });
  });

  it("refuses uploads without a token, to another customer's room, and to a closed room", async () => {
    const customer = h.person("customer");
    const intruder = h.person("customer");
    const room = await openRoom(customer);
    await openRoom(intruder);
    await changesNothing(async () => {
      expectRestError(await upload(null, room.id, solidPng(), "a.png"), 401, "UNAUTHENTICATED");
      expectRestError(await upload(intruder, room.id, solidPng(), "a.png"), 403, "FORBIDDEN");
      expectRestError(await upload(intruder, randomUUID(), solidPng(), "a.png"), 404, "NOT_FOUND");
    });
    await rest(h.url, customer, "POST", `/chat/room/${room.id}/close`);
    await changesNothing(async () => {
      expectRestError(await upload(customer, room.id, solidPng(), "a.png"), 409, "ROOM_CLOSED");
    });
  });

  it("never serves an attachment outside its room, and tells no one it exists", async () => {
    const customer = h.person("customer");
    const other = h.person("customer");
    const agent = h.person("agent");
    const room = await openRoom(customer);
    const otherRoom = await openRoom(other);
    const mine = await uploaded(customer, room.id, solidPng(), "mine.png");
    const theirs = await uploaded(other, otherRoom.id, solidPng(), "theirs.png");

    const refused = async (who: Person | null, roomId: string, id: string, status: number) => {
      const res = await download(who, roomId, id);
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: { message: string } };
      // Nothing about the other room's file leaks into the refusal.
      expect(body.error.message).not.toMatch(/theirs/);
    };
    // Another room's attachment through my room's URL: as unknown as a made-up id.
    await refused(customer, room.id, theirs.id, 404);
    await refused(customer, room.id, randomUUID(), 404);
    await refused(agent, room.id, theirs.id, 404);
    // The other room's URL: not my room.
    await refused(customer, otherRoom.id, theirs.id, 403);
    await refused(customer, otherRoom.id, mine.id, 403);
    await refused(null, room.id, mine.id, 401);
    expect((await download(customer, room.id, "not-an-id")).status).toBe(400);
  });

  it("refuses a message referring to another room's or an unknown attachment", async () => {
    const customer = h.person("customer");
    const other = h.person("customer");
    const room = await openRoom(customer);
    const otherRoom = await openRoom(other);
    const theirs = await uploaded(other, otherRoom.id, solidPng(), "theirs.png");
    const socket = await connectSocket(h.url, customer);
    sockets.push(socket);
    await changesNothing(async () => {
      expectRestError(await postWith(customer, room.id, [theirs.id]), 400, "VALIDATION_FAILED");
      expectRestError(
        await postWith(customer, room.id, [randomUUID()], "hi"),
        400,
        "VALIDATION_FAILED",
      );
      expectRestError(await postWith(customer, room.id, []), 400, "MESSAGE_EMPTY");
      ackError(
        await emitWithAck(socket, "sendMessage", {
          roomId: room.id,
          message: "",
          clientMessageId: "foreign",
          attachments: [theirs.id],
        }),
        "VALIDATION_FAILED",
      );
    });
  });
});
