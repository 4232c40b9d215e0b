import { crc32, deflateSync } from "node:zlib";

/** Small files whose bytes are what they say, for upload tests (and a few that lie). */

const chunk = (type: string, data: Buffer): Buffer => {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** A valid PNG of one colour, `size` pixels square. */
export const solidPng = (size = 1, rgb: [number, number, number] = [220, 40, 40]): Buffer => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(size).fill(rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
};

/** The start of a JPEG (SOI + JFIF APP0), enough for any sniffer. */
export const jpegBytes = (): Buffer =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from("JFIF\0", "latin1"),
    Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]),
  ]);

export const pdfBytes = (): Buffer =>
  Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

/** A Windows executable's header: what a disguised ".png" really is. */
export const exeBytes = (): Buffer => {
  const bytes = Buffer.alloc(512);
  bytes.write("MZ", 0, "latin1");
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write("PE\0\0", 0x80, "latin1");
  return bytes;
};

export const textBytes = (text = "Order 1234: the parcel arrived damaged.\n"): Buffer =>
  Buffer.from(text, "utf8");

/** A file of `size` bytes that is a valid PNG at the start (padding after IEND). */
export const largePng = (size: number): Buffer => {
  const png = solidPng(1);
  return Buffer.concat([png, Buffer.alloc(Math.max(0, size - png.length), 0)]);
};
