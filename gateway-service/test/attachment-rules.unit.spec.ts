import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";
import { createHash } from "node:crypto";
import { DomainError, type ErrorCode } from "@support-chat/contracts";
import {
  exeBytes,
  jpegBytes,
  largePng,
  pdfBytes,
  solidPng,
  textBytes,
} from "@support-chat/test-support/sample-files";
import { describe, expect, it } from "vitest";
import {
  checkContentType,
  claimedTypes,
  contentDispositionOf,
  contentTypeOf,
  displayNameOf,
  looksLikeText,
  type AttachmentRules,
} from "../src/domain/attachment-rules.js";
import { AttachmentInspector } from "../src/adapters/attachments/inspector.js";

const rules: AttachmentRules = {
  maxBytes: 8192,
  allowedTypes: ["image/png", "image/jpeg", "application/pdf", "text/plain"],
};

const refusal = (run: () => unknown): ErrorCode | undefined => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).code;
  }
  return undefined;
};

describe("the content type comes from the bytes", () => {
  it("takes the sniffer's answer, else text, else unknown", () => {
    expect(contentTypeOf(textBytes(), "image/png", true)).toBe("image/png");
    expect(contentTypeOf(textBytes(), undefined, true)).toBe("text/plain");
    expect(contentTypeOf(Buffer.from([0, 1, 2, 3]), undefined, true)).toBe(
      "application/octet-stream",
    );
  });

  it("counts UTF-8 with line breaks and tabs as text, not NULs, controls or broken UTF-8", () => {
    expect(looksLikeText(Buffer.from("Grüße\tund\r\nDank 🙂"), true)).toBe(true);
    expect(looksLikeText(Buffer.from("a\u0000b"), true)).toBe(false);
    expect(looksLikeText(Buffer.from("a\u0007b"), true)).toBe(false);
    expect(looksLikeText(Buffer.from([0x61, 0xc3, 0x28]), true)).toBe(false);
  });

  it("accepts a head cut inside a character, but not a whole file that ends there", () => {
    const cut = Buffer.from("ok 🙂").subarray(0, 5);
    expect(looksLikeText(cut, false)).toBe(true);
    expect(looksLikeText(cut, true)).toBe(false);
  });
});

describe("what a file claims to be", () => {
  it("is read from the extension and the declared type when they name known formats", () => {
    expect(claimedTypes("cat.PNG", "image/png")).toEqual(["image/png"]);
    expect(claimedTypes("scan.jpg", "image/jpg")).toEqual(["image/jpeg"]);
    expect(claimedTypes("notes.csv", "text/csv")).toEqual(["text/plain"]);
    expect(claimedTypes("photo.png", "application/pdf")).toEqual(["image/png", "application/pdf"]);
  });

  it("is nothing for unknown extensions and generic declared types", () => {
    expect(claimedTypes("README", "application/octet-stream")).toEqual([]);
    expect(claimedTypes("setup.exe", undefined)).toEqual([]);
  });
});

describe("checkContentType", () => {
  it("allows an allowed type named as itself or not named at all", () => {
    expect(refusal(() => checkContentType("image/png", ["image/png"], rules))).toBeUndefined();
    expect(refusal(() => checkContentType("text/plain", [], rules))).toBeUndefined();
  });

  it("refuses a type operators did not allow", () => {
    expect(refusal(() => checkContentType("image/gif", [], rules))).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(refusal(() => checkContentType("application/x-msdownload", [], rules))).toBe(
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });

  it("refuses an allowed type disguised as another (a PDF named .png)", () => {
    expect(() => checkContentType("application/pdf", ["image/png"], rules)).toThrow(
      /named as image\/png but its content is application\/pdf/,
    );
  });

  it("names the disguise when the real type is not allowed either (an .exe named .png)", () => {
    expect(() => checkContentType("application/x-msdownload", ["image/png"], rules)).toThrow(
      /application\/x-msdownload although it is named as image\/png/,
    );
  });
});

describe("names", () => {
  it("keeps the last path segment without control characters", () => {
    expect(displayNameOf("C:\\Users\\ann\\photo.png", "image/png")).toBe("photo.png");
    expect(displayNameOf("../../etc/passwd", "text/plain")).toBe("passwd");
    expect(displayNameOf("in\u0000voice\n.pdf", "application/pdf")).toBe("invoice.pdf");
  });

  it("falls back to attachment.<ext> when nothing usable is left", () => {
    expect(displayNameOf(undefined, "image/png")).toBe("attachment.png");
    expect(displayNameOf("..", "application/pdf")).toBe("attachment.pdf");
    expect(displayNameOf("  ", "application/zip")).toBe("attachment.bin");
  });

  it("shortens long names and keeps the extension", () => {
    const name = displayNameOf(`${"a".repeat(500)}.png`, "image/png");
    expect([...name]).toHaveLength(200);
    expect(name.endsWith(".png")).toBe(true);
  });

  it("offers images inline and everything else as a download, with a safe file name", () => {
    expect(contentDispositionOf("cat.png", "image/png")).toBe(
      `inline; filename="cat.png"; filename*=UTF-8''cat.png`,
    );
    expect(contentDispositionOf('Rechnung "März".pdf', "application/pdf")).toBe(
      `attachment; filename="Rechnung _M_rz_.pdf"; filename*=UTF-8''Rechnung%20%22M%C3%A4rz%22.pdf`,
    );
  });
});

describe("AttachmentInspector", () => {
  const inspect = async (bytes: Buffer, name: string, declaredType?: string, chunk = 1000) => {
    const inspector = new AttachmentInspector(rules, { name, declaredType });
    const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) =>
      bytes.subarray(i * chunk, (i + 1) * chunk),
    );
    const out = buffer(inspector);
    out.catch(() => undefined); // a refusal is asserted through the pipeline
    await pipeline(Readable.from(chunks), inspector);
    return { passed: await out, result: inspector.result(), type: await inspector.contentType };
  };
  const refusedWith = async (bytes: Buffer, name: string, declaredType?: string) => {
    try {
      await inspect(bytes, name, declaredType);
    } catch (e) {
      return (e as DomainError).code;
    }
    return "accepted";
  };

  it("passes an allowed file through unchanged with its type, size and digest", async () => {
    const png = largePng(6000);
    const { passed, result, type } = await inspect(png, "photo.png", "image/png");
    expect(passed.equals(png)).toBe(true);
    expect(type).toBe("image/png");
    expect(result).toEqual({
      contentType: "image/png",
      size: 6000,
      sha256: createHash("sha256").update(png).digest("hex"),
    });
  });

  it("recognizes small files that end before the sniffing window", async () => {
    expect((await inspect(jpegBytes(), "a.jpg")).type).toBe("image/jpeg");
    expect((await inspect(pdfBytes(), "a.pdf", "application/pdf")).type).toBe("application/pdf");
    expect((await inspect(textBytes(), "a.txt", "text/plain")).type).toBe("text/plain");
    expect((await inspect(solidPng(), "no-extension")).type).toBe("image/png");
  });

  it("refuses oversized, disguised, disallowed, empty and binary-in-text files", async () => {
    expect(await refusedWith(largePng(rules.maxBytes + 1), "big.png")).toBe("PAYLOAD_TOO_LARGE");
    expect(await refusedWith(exeBytes(), "cute-cat.png", "image/png")).toBe(
      "UNSUPPORTED_MEDIA_TYPE",
    );
    expect(await refusedWith(pdfBytes(), "photo.png")).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(await refusedWith(exeBytes(), "setup.exe")).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(await refusedWith(Buffer.alloc(0), "empty.txt")).toBe("VALIDATION_FAILED");
    const textThenBinary = Buffer.concat([Buffer.alloc(5000, "a"), Buffer.from([0, 1, 2])]);
    expect(await refusedWith(textThenBinary, "log.txt")).toBe("UNSUPPORTED_MEDIA_TYPE");
  });
});
