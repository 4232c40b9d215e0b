import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFsObjectStore } from "../src/adapters/storage/fs-object-store.js";
import type { ObjectStore } from "../src/adapters/storage/object-store.js";
import { createS3ObjectStore } from "../src/adapters/storage/s3-object-store.js";

/** A body that sends some bytes and then fails, like an upload refused half-way. */
const failingBody = (bytes: Buffer) =>
  new Readable({
    read() {
      this.push(bytes);
      this.destroy(new Error("refused half-way"));
    },
  });

const dirs: string[] = [];
let s3rver: S3rver;
let s3: ReturnType<typeof createS3ObjectStore>;
const BUCKET = "attachments-test";

beforeAll(async () => {
  const s3dir = await mkdtemp(join(tmpdir(), "s3rver-"));
  dirs.push(s3dir);
  // An S3-compatible server in this process: the adapter speaks real S3 HTTP to it.
  s3rver = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: s3dir,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const address: AddressInfo = await s3rver.run();
  s3 = createS3ObjectStore({
    bucket: BUCKET,
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${address.port}`,
    forcePathStyle: true,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    keyPrefix: "attachments/",
  });
});
afterAll(async () => {
  s3?.client.destroy();
  await s3rver?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const contract = (
  name: string,
  store: () => Promise<ObjectStore>,
  listAll: () => Promise<string[]>,
) =>
  describe(`${name} store`, () => {
    it("stores, heads, streams back and deletes an object under its id", async () => {
      const s = await store();
      const key = randomUUID();
      const bytes = Buffer.from("a small attachment\n");
      expect(await s.head(key)).toBeUndefined();
      await s.put(key, Readable.from([bytes]), { contentType: "text/plain" });
      expect(await s.head(key)).toEqual({ size: bytes.length });
      const got = await s.get(key);
      expect(got?.size).toBe(bytes.length);
      expect((await buffer(got!.body)).equals(bytes)).toBe(true);
      await s.delete(key);
      expect(await s.head(key)).toBeUndefined();
      expect(await s.get(key)).toBeUndefined();
      await s.delete(key); // deleting what is gone is fine
    });

    it("streams a body larger than one part intact", async () => {
      const s = await store();
      const key = randomUUID();
      const chunk = Buffer.alloc(1024 * 1024, 7);
      const chunks = Array.from({ length: 6 }, (_, i) => Buffer.from(chunk.map((b) => b + i)));
      await s.put(key, Readable.from(chunks), { contentType: "application/pdf" });
      const got = await s.get(key);
      expect((await buffer(got!.body)).equals(Buffer.concat(chunks))).toBe(true);
      await s.delete(key);
    });

    it("leaves nothing behind when the body fails", async () => {
      const s = await store();
      const key = randomUUID();
      const before = await listAll();
      await expect(
        s.put(key, failingBody(Buffer.alloc(1000, 1)), { contentType: "image/png" }),
      ).rejects.toThrow();
      expect(await s.head(key)).toBeUndefined();
      expect(await listAll()).toEqual(before);
    });

    it("refuses keys that are not attachment ids", async () => {
      const s = await store();
      await expect(s.head("../../etc/passwd")).rejects.toThrow(/not an attachment id/);
      await expect(
        s.put("photo.png", Readable.from([Buffer.from("x")]), { contentType: "image/png" }),
      ).rejects.toThrow(/not an attachment id/);
    });
  });

let fsDir: string | undefined;
contract(
  "filesystem",
  async () => {
    fsDir ??= await mkdtemp(join(tmpdir(), "fs-store-"));
    dirs.push(fsDir);
    return createFsObjectStore(fsDir);
  },
  async () =>
    (await readdir(fsDir!, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort(),
);

contract(
  "S3",
  async () => s3,
  async () => {
    const out = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (out.Contents ?? []).map((o) => o.Key ?? "").sort();
  },
);
