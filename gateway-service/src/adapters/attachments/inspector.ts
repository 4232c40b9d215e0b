import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { fileTypeFromBuffer } from "file-type";
import { DomainError } from "@support-chat/contracts";
import {
  checkContentType,
  claimedTypes,
  contentTypeOf,
  SNIFF_BYTES,
  tooLarge,
  type AttachmentRules,
} from "../../domain/attachment-rules.js";

export type Inspection = Readonly<{ contentType: string; size: number; sha256: string }>;

/**
 * Passes a file's bytes through while deciding what they are. It holds back the first
 * SNIFF_BYTES until the content type is known from them (never from the name or the declared
 * type) and allowed; then `contentType` resolves and the bytes flow. It fails the stream when
 * the type is refused, when the file grows past the limit, when a text file turns out to hold
 * NUL bytes, or when the file is empty.
 */
export class AttachmentInspector extends Transform {
  /** Resolves with the content type once the head is inspected; rejects if it is refused. */
  readonly contentType: Promise<string>;
  private settle!: { resolve: (type: string) => void; reject: (e: unknown) => void };
  private head: Buffer[] = [];
  private headBytes = 0;
  private decided: string | undefined;
  private size = 0;
  private readonly hash = createHash("sha256");

  constructor(
    private readonly rules: AttachmentRules,
    private readonly claimed: { name: string; declaredType: string | undefined },
  ) {
    super();
    this.contentType = new Promise<string>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.contentType.catch(() => undefined);
    this.once("error", (e) => this.settle.reject(e));
  }

  /** Size and digest of everything that passed; valid once the stream has ended. */
  result(): Inspection {
    if (this.decided === undefined) throw new Error("the file has not been inspected yet");
    return { contentType: this.decided, size: this.size, sha256: this.hash.digest("hex") };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.rules.maxBytes) return done(tooLarge(this.rules.maxBytes));
    this.hash.update(chunk);
    if (this.decided !== undefined) {
      if (this.decided === "text/plain" && chunk.includes(0)) return done(notText());
      return done(null, chunk);
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) return done();
    this.decide(false).then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    if (this.size === 0) return done(new DomainError("VALIDATION_FAILED", "the file is empty"));
    if (this.decided !== undefined) return done();
    this.decide(true).then(() => done(), done);
  }

  private async decide(complete: boolean): Promise<void> {
    const head = Buffer.concat(this.head);
    const sniffed = (await fileTypeFromBuffer(head))?.mime;
    const type = contentTypeOf(head, sniffed, complete);
    checkContentType(type, claimedTypes(this.claimed.name, this.claimed.declaredType), this.rules);
    if (type === "text/plain" && head.includes(0)) throw notText();
    this.decided = type;
    this.head = [];
    this.push(head);
    this.settle.resolve(type);
  }
}

const notText = () =>
  new DomainError("UNSUPPORTED_MEDIA_TYPE", "the file starts as text but holds binary data");
