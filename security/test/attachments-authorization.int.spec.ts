import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentDescriptor, ChatMessage } from "@support-chat/contracts";
import { solidPng } from "@support-chat/test-support/sample-files";
import type { Person } from "@support-chat/system-tests/src/clients.js";
import { api, connectAs, emitRaw, ErrorAck, restErrorOf, type RawReply } from "../src/calls.js";
import {
  CALLERS,
  callerOf,
  roomAccess,
  stage,
  type CallerKind,
  type Expectations,
  type Scene,
} from "../src/scene.js";
import { startWorld, type World } from "../src/world.js";

/**
 * The attachment routes in the same role × own/other room matrix as every other route:
 * uploading is posting (its customer and support staff), downloading is reading the room.
 * A refused call changes nothing: no event, no projection row.
 */
let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

const upload = async (who: Person | null, roomId: string): Promise<RawReply> => {
  const form = new FormData();
  form.append("file", new Blob([solidPng(2)], { type: "image/png" }), "probe.png");
  const res = await fetch(`${w.url}/api/chat/room/${roomId}/attachments`, {
    method: "POST",
    headers: who ? { authorization: `Bearer ${who.token}` } : {},
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as unknown, text, headers: res.headers };
};

/** The scene's room with an attachment its customer uploaded and sent. */
const withAttachment = async (scene: Scene) => {
  const reply = await upload(scene.owner, scene.room.id);
  const attachment = AttachmentDescriptor.parse(reply.body);
  const sent = await api(w.url, scene.owner, "POST", `/chat/room/${scene.room.id}/messages`, {
    message: "",
    clientMessageId: "photo",
    attachments: [attachment.id],
  });
  expect(sent.status, sent.text).toBe(201);
  return attachment;
};

type Route = {
  route: string;
  call: (s: Scene, caller: Person | null, attachmentId: string) => Promise<RawReply>;
  expect: Expectations;
  verify: (reply: RawReply, attachmentId: string) => void;
};

const routes: Route[] = [
  {
    route: "POST /chat/room/:id/attachments",
    call: (s, caller) => upload(caller, s.room.id),
    expect: roomAccess,
    verify: (r) => {
      expect(r.status).toBe(201);
      expect(AttachmentDescriptor.parse(r.body).contentType).toBe("image/png");
    },
  },
  {
    route: "GET /chat/room/:id/attachments/:attachmentId",
    call: async (s, caller, attachmentId) => {
      const res = await fetch(`${w.url}/api/chat/room/${s.room.id}/attachments/${attachmentId}`, {
        headers: caller ? { authorization: `Bearer ${caller.token}` } : {},
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = res.headers.get("content-type")?.startsWith("application/json")
        ? bytes.toString()
        : "";
      return {
        status: res.status,
        body: text ? JSON.parse(text) : bytes,
        text,
        headers: res.headers,
      };
    },
    expect: roomAccess,
    verify: (r) => {
      expect(r.status).toBe(200);
      expect((r.body as Buffer).equals(solidPng(2))).toBe(true);
    },
  },
  {
    route: "POST /chat/room/:id/messages with attachments",
    call: (s, caller, attachmentId) =>
      api(w.url, caller, "POST", `/chat/room/${s.room.id}/messages`, {
        message: "",
        clientMessageId: "probe-attachment",
        attachments: [attachmentId],
      }),
    expect: roomAccess,
    verify: (r, attachmentId) =>
      expect(ChatMessage.parse(r.body).attachments?.map((a) => a.id)).toEqual([attachmentId]),
  },
];

const cells = routes.flatMap((route) =>
  CALLERS.map((caller: CallerKind) => ({ ...route, caller, outcome: route.expect[caller] })),
);

describe("attachment routes × role × own/other room", () => {
  it.for(cells.map((c) => [`${c.route} as ${c.caller} → ${c.outcome}`, c] as const))(
    "%s",
    async ([, cell]) => {
      const scene = await stage(w);
      const attachment = await withAttachment(scene);
      const caller = callerOf(scene, cell.caller);
      const before = await w.snapshot();
      const reply = await cell.call(scene, caller, attachment.id);
      if (cell.outcome === "ok") {
        expect(reply.status, reply.text).toBeLessThan(300);
        cell.verify(reply, attachment.id);
        return;
      }
      expect(restErrorOf(reply).code, reply.text).toBe(cell.outcome);
      expect(await w.changesSince(before)).toEqual([]);
    },
  );
});

describe("an attachment never leaves its room", () => {
  it("another room's attachment is not found through this room's URL, for anyone", async () => {
    const scene = await stage(w);
    const theirs = await withAttachment(scene);
    const mine = await stage(w);
    for (const who of [mine.owner, mine.assignee, mine.admin]) {
      const res = await fetch(`${w.url}/api/chat/room/${mine.room.id}/attachments/${theirs.id}`, {
        headers: { authorization: `Bearer ${who.token}` },
      });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("probe.png");
    }
  });

  it("a message, by REST or socket, cannot carry another room's attachment", async () => {
    const scene = await stage(w);
    const theirs = await withAttachment(scene);
    const mine = await stage(w);
    const before = await w.snapshot();
    for (const who of [mine.owner, mine.assignee]) {
      const reply = await api(w.url, who, "POST", `/chat/room/${mine.room.id}/messages`, {
        message: "look",
        clientMessageId: "foreign",
        attachments: [theirs.id],
      });
      expect(restErrorOf(reply).code).toBe("VALIDATION_FAILED");
      const socket = await connectAs(w.url, who);
      try {
        const ack = await emitRaw(socket, "sendMessage", {
          roomId: mine.room.id,
          message: "",
          clientMessageId: "foreign-socket",
          attachments: [theirs.id],
        });
        expect(ErrorAck.parse(ack).error.code).toBe("VALIDATION_FAILED");
      } finally {
        socket.close();
      }
    }
    expect(await w.changesSince(before)).toEqual([]);
  });
});
