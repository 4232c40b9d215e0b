import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { Readable } from "node:stream";
import { assertObjectKey, type ObjectStore } from "./object-store.js";

export type S3StoreConfig = Readonly<{
  bucket: string;
  region: string;
  /** For MinIO and other S3-compatible servers; AWS itself needs none. */
  endpoint?: string | undefined;
  /** `http://host/bucket/key` instead of `http://bucket.host/key` (MinIO wants this). */
  forcePathStyle: boolean;
  /** Without them the SDK's usual chain applies (environment, instance role, ...). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Prefix of every key in the bucket, e.g. `attachments/`. */
  keyPrefix: string;
}>;

const isNotFound = (e: unknown): boolean =>
  e instanceof S3ServiceException &&
  (e.name === "NotFound" || e.name === "NoSuchKey" || e.$metadata.httpStatusCode === 404);

/**
 * Attachments in an S3 bucket (AWS, MinIO or anything speaking S3). Uploads stream through
 * the SDK's managed upload: one PUT for small files, a multipart upload in bounded parts for
 * large ones, aborted (no parts left behind) when the body fails.
 */
export const createS3ObjectStore = (config: S3StoreConfig): ObjectStore & { client: S3Client } => {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    // Checksums only where S3 requires them: S3-compatible servers do not all know the newer ones.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const Bucket = config.bucket;
  const keyOf = (key: string) => `${config.keyPrefix}${assertObjectKey(key)}`;

  const head = async (key: string) => {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }));
      return { size: out.ContentLength ?? 0 };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };

  return {
    kind: "s3",
    client,
    put: async (key, body, meta) => {
      const upload = new Upload({
        client,
        params: { Bucket, Key: keyOf(key), Body: body, ContentType: meta.contentType },
        queueSize: 1,
        leavePartsOnError: false,
      });
      // The managed upload stops reading a body that failed; make sure it also rejects.
      const failed = new Promise<never>((_, reject) => body.once("error", reject));
      failed.catch(() => undefined);
      await Promise.race([upload.done(), failed]).catch(async (e: unknown) => {
        await upload.abort().catch(() => undefined);
        throw e;
      });
    },
    head,
    get: async (key) => {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key) }));
        if (!(out.Body instanceof Readable)) throw new Error("S3 returned no readable body");
        return { size: out.ContentLength ?? 0, body: out.Body };
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    delete: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },
  };
};
