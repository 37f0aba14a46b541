import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ROOT, hasNumpy, python, tempDir } from "../../test/helpers.js";
import { readNpyF32 } from "./npy.js";
import { StimulusError, decodeStimulus, readStimulus, stimulusFrame } from "./tiff.js";

const VIDEO = join(ROOT, "data", "video_bisons_32.tif");

/** One IFD entry: SHORT (3), LONG (4) or ASCII (2) values. */
interface Entry {
  tag: number;
  type: 2 | 3 | 4;
  values: number[] | string;
}

interface Page {
  width: number;
  height: number;
  /** raw sample bytes, already in the file's byte order */
  bytes: Uint8Array;
  bits?: number;
  format?: number;
  samples?: number;
  photometric?: number;
  compression?: number;
  extra?: Entry[];
}

/** A minimal TIFF writer (one strip per page) for the tests' malformed and unusual files. */
function encodeTiff(pages: Page[], littleEndian: boolean): Uint8Array {
  const chunks: Uint8Array[] = [];
  let pos = 8;
  const header = new DataView(new ArrayBuffer(8));
  header.setUint16(0, littleEndian ? 0x4949 : 0x4d4d);
  header.setUint16(2, 42, littleEndian);
  header.setUint32(4, 8, littleEndian);
  chunks.push(new Uint8Array(header.buffer));
  pages.forEach((p, k) => {
    const spp = p.samples ?? 1;
    const tags: Entry[] = [
      { tag: 256, type: 4, values: [p.width] },
      { tag: 257, type: 4, values: [p.height] },
      { tag: 258, type: 3, values: Array<number>(spp).fill(p.bits ?? 32) },
      { tag: 259, type: 3, values: [p.compression ?? 1] },
      { tag: 262, type: 3, values: [p.photometric ?? (spp === 3 ? 2 : 1)] },
      { tag: 273, type: 4, values: [0] }, // strip offset, patched below
      { tag: 277, type: 3, values: [spp] },
      { tag: 278, type: 4, values: [p.height] },
      { tag: 279, type: 4, values: [p.bytes.length] },
      { tag: 339, type: 3, values: Array<number>(spp).fill(p.format ?? 3) },
      ...(p.extra ?? []),
    ];
    const entries = tags.sort((a, b) => a.tag - b.tag);
    const size = (e: Entry) => (e.type === 2 ? e.values.length + 1 : e.values.length * (e.type === 3 ? 2 : 4));
    const ifdBytes = 2 + 12 * entries.length + 4;
    const outOfLine = entries.reduce((s, e) => s + (size(e) > 4 ? size(e) : 0), 0);
    const dataAt = pos + ifdBytes + outOfLine;
    entries.find((e) => e.tag === 273)!.values = [dataAt];
    const buf = new DataView(new ArrayBuffer(ifdBytes + outOfLine));
    buf.setUint16(0, entries.length, littleEndian);
    let extraAt = ifdBytes;
    const put = (view: DataView, at: number, e: Entry) => {
      if (typeof e.values === "string") for (let i = 0; i < e.values.length; i++) view.setUint8(at + i, e.values.charCodeAt(i));
      else
        e.values.forEach((v, i) =>
          e.type === 3 ? view.setUint16(at + 2 * i, v, littleEndian) : view.setUint32(at + 4 * i, v, littleEndian),
        );
    };
    entries.forEach((e, i) => {
      const at = 2 + 12 * i;
      buf.setUint16(at, e.tag, littleEndian);
      buf.setUint16(at + 2, e.type, littleEndian);
      buf.setUint32(at + 4, size(e) / (e.type === 2 ? 1 : e.type === 3 ? 2 : 4), littleEndian);
      if (size(e) <= 4) put(buf, at + 8, e);
      else {
        buf.setUint32(at + 8, pos + extraAt, littleEndian);
        put(buf, extraAt, e);
        extraAt += size(e);
      }
    });
    const next = k + 1 < pages.length ? dataAt + p.bytes.length : 0;
    buf.setUint32(2 + 12 * entries.length, next, littleEndian);
    chunks.push(new Uint8Array(buf.buffer), p.bytes);
    pos = dataAt + p.bytes.length;
  });
  return Buffer.concat(chunks);
}

/** Samples written in the given byte order: kind f32 | f64 | u8 | i8 | u16 | i16 | u32. */
function samples(values: number[], kind: string, littleEndian: boolean): Uint8Array {
  const size = { f32: 4, f64: 8, u8: 1, i8: 1, u16: 2, i16: 2, u32: 4 }[kind]!;
  const v = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((x, i) => {
    if (kind === "f32") v.setFloat32(4 * i, x, littleEndian);
    else if (kind === "f64") v.setFloat64(8 * i, x, littleEndian);
    else if (kind === "u8") v.setUint8(i, x);
    else if (kind === "i8") v.setInt8(i, x);
    else if (kind === "u16") v.setUint16(2 * i, x, littleEndian);
    else if (kind === "i16") v.setInt16(2 * i, x, littleEndian);
    else v.setUint32(4 * i, x, littleEndian);
  });
  return new Uint8Array(v.buffer);
}

const f32Page = (width: number, height: number, values: number[], le: boolean): Page => ({
  width,
  height,
  bytes: samples(values, "f32", le),
});

describe("stimulus TIFF stacks", () => {
  it("reads the Figure 3 video as 257 frames of 32×32", () => {
    const v = readStimulus(VIDEO);
    expect([v.frames, v.height, v.width]).toEqual([257, 32, 32]);
    expect(v.data.length).toBe(257 * 32 * 32);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (const x of v.data) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    // The spec's measurements: range [0.500, 1.480], mean 1.078; pages 255 and 256 identical.
    expect(min).toBeCloseTo(0.5, 3);
    expect(max).toBeCloseTo(1.48, 3);
    expect(sum / v.data.length).toBeCloseTo(1.078, 3);
    expect(Array.from(stimulusFrame(v, 256))).toEqual(Array.from(stimulusFrame(v, 255)));
  });

  it.runIf(hasNumpy())("matches an independent decode of the video's raw strips", () => {
    const out = join(tempDir(), "video.npy");
    // Walk the big-endian IFD chain by hand: tags 273/279 give each page's single strip.
    python(`
import struct, numpy as np
b = open(${JSON.stringify(VIDEO)}, 'rb').read()
assert b[:4] == b'MM\\x00*'
u16 = lambda o: struct.unpack('>H', b[o:o+2])[0]
u32 = lambda o: struct.unpack('>I', b[o:o+4])[0]
off, pages = u32(4), []
while off:
    n = u16(off)
    tags = {}
    for i in range(n):
        e = off + 2 + 12*i
        tag, typ = u16(e), u16(e+2)
        tags[tag] = u16(e+8) if typ == 3 else u32(e+8)
    w, h = tags[256], tags[257]
    pages.append(np.frombuffer(b[tags[273]:tags[273]+tags[279]], '>f4').reshape(h, w))
    off = u32(off + 2 + 12*n)
np.save(${JSON.stringify(out)}, np.array(pages).astype('<f4'))
`);
    const theirs = readNpyF32(out);
    const ours = readStimulus(VIDEO);
    expect(theirs.shape).toEqual([257, 32, 32]);
    expect(ours.data).toEqual(theirs.data);
  });

  it("reads little- and big-endian float32, float64 and 8/16-bit integer stacks", () => {
    for (const le of [true, false]) {
      const f = decodeStimulus(
        encodeTiff([f32Page(3, 2, [0, 1, 2, 3, 4, 5], le), f32Page(3, 2, [-1, 0.5, 1e-3, 7, 8, 9], le)], le),
        "f",
      );
      expect([f.frames, f.height, f.width]).toEqual([2, 2, 3]);
      expect(Array.from(f.data)).toEqual([0, 1, 2, 3, 4, 5, -1, 0.5, Math.fround(1e-3), 7, 8, 9]);
      expect(Array.from(stimulusFrame(f, 1))).toEqual(Array.from(f.data.subarray(6)));
      const cases: [string, number, number, number[]][] = [
        ["f64", 64, 3, [0.25, -3.5]],
        ["u8", 8, 1, [0, 255]],
        ["i8", 8, 2, [-128, 127]],
        ["u16", 16, 1, [0, 65535]],
        ["i16", 16, 2, [-32768, 1234]],
      ];
      for (const [kind, bits, format, values] of cases) {
        const page: Page = { width: 2, height: 1, bytes: samples(values, kind, le), bits, format };
        expect(Array.from(decodeStimulus(encodeTiff([page], le), kind).data), `${kind} ${le ? "II" : "MM"}`).toEqual(values);
      }
      const deflated: Page = { width: 2, height: 2, bytes: deflateSync(samples([1.5, 2, 3, 4], "f32", le)), compression: 8 };
      expect(Array.from(decodeStimulus(encodeTiff([deflated], le), "deflate").data)).toEqual([1.5, 2, 3, 4]);
    }
  });

  it("refuses unsupported layouts with an error naming the file", () => {
    const le = false;
    const bad = (pages: Page[]) => () => decodeStimulus(encodeTiff(pages, le), "/x/bad.tif");
    const rgb: Page = { width: 2, height: 1, bytes: samples([1, 2, 3, 4, 5, 6], "u8", le), bits: 8, format: 1, samples: 3 };
    expect(bad([rgb])).toThrowError(/\/x\/bad\.tif: page 0 has 3 samples per pixel \(RGB\)/);
    const palette: Page = { width: 2, height: 1, bytes: samples([1, 2], "u8", le), bits: 8, format: 1, photometric: 3 };
    expect(bad([palette])).toThrowError(/bad\.tif: page 0 is palette colour/);
    const whiteIsZero: Page = { ...palette, photometric: 0 };
    expect(bad([whiteIsZero])).toThrowError(/bad\.tif: page 0 is WhiteIsZero/);
    const u32: Page = { width: 2, height: 1, bytes: samples([1, 2], "u32", le), bits: 32, format: 1 };
    expect(bad([u32])).toThrowError(/bad\.tif: page 0 has 32-bit unsigned integer samples/);
    expect(bad([f32Page(2, 2, [1, 2, 3, 4], le), f32Page(2, 1, [1, 2], le)])).toThrowError(
      /bad\.tif: page 1 is 2×1 \(width×height\) but page 0 is 2×2/,
    );
    expect(bad([f32Page(2, 2, [1, 2, Number.NaN, 4], le)])).toThrowError(/bad\.tif: page 0, row 1, column 0 is NaN/);
    expect(bad([f32Page(2, 1, [1, 2], le), f32Page(2, 1, [Number.POSITIVE_INFINITY, 0], le)])).toThrowError(
      /page 1, row 0, column 0 is Infinity/,
    );
    const jpeg: Page = { ...f32Page(2, 1, [1, 2], le), compression: 7 };
    expect(bad([jpeg])).toThrowError(/bad\.tif: cannot decode the image data \(.*Compression.*7/);
    const imagej: Page = { ...f32Page(2, 1, [1, 2], le), extra: [{ tag: 270, type: 2, values: "ImageJ=1.54f\nimages=3\n" }] };
    expect(bad([imagej])).toThrowError(/bad\.tif: ImageJ stack of 3 images stored behind a single page directory/);
    // Strip bytes cut off at the end of the file.
    const whole = encodeTiff([f32Page(4, 4, Array(16).fill(1), le)], le);
    expect(() => decodeStimulus(whole.subarray(0, whole.length - 8), "/x/cut.tif")).toThrowError(
      /\/x\/cut\.tif: cannot decode the image data/,
    );
  });

  it("refuses files that are not TIFF or cannot be read", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "junk.tif"), "this is not an image");
    expect(() => readStimulus(join(dir, "junk.tif"))).toThrowError(StimulusError);
    expect(() => readStimulus(join(dir, "junk.tif"))).toThrowError(/junk\.tif: not a readable TIFF file/);
    expect(() => readStimulus(join(dir, "missing.tif"))).toThrowError(/missing\.tif: cannot read \(ENOENT\)/);
    expect(() => readStimulus(dir)).toThrowError(/not a regular file/);
  });
});
