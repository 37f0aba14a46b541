/**
 * Stimulus files: greyscale TIFF stacks, one page per video frame (Figure 3's
 * `video_bisons_32.tif`: 257 pages of 32×32 big-endian float32). Decoded with the `tiff` package
 * (strips or tiles; uncompressed, LZW, Deflate; either byte order); this module checks the layout
 * and returns one float32 array [T, H, W], row-major (page, row, column), with errors that name
 * the file and the problem.
 *
 * Sample types: float32 and float64 (converted to float32), unsigned and signed 8- and 16-bit
 * integers (their values as they are, not rescaled). Refused: more than one sample per pixel (RGB,
 * grey + alpha), palette images, WhiteIsZero, 1-bit and 32-bit integer samples, pages of differing
 * sizes, NaN or infinite values.
 */
import { readFileSync, statSync } from "node:fs";
import { type TiffIfd, decode } from "tiff";

/** A video as frames: `data[(t·height + r)·width + c]` is frame t's pixel at row r, column c. */
export interface Stimulus {
  frames: number;
  height: number;
  width: number;
  /** [frames, height, width] */
  data: Float32Array;
}

export class StimulusError extends Error {
  override name = "StimulusError";
}

const PHOTOMETRIC: Record<number, string> = {
  0: "WhiteIsZero",
  2: "RGB",
  3: "palette colour",
  4: "transparency mask",
  5: "CMYK",
  6: "YCbCr",
  8: "CIELab",
};
const SAMPLE_FORMAT: Record<number, string> = { 1: "unsigned integer", 2: "signed integer", 3: "float" };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The layout of page k, or why it cannot be read as a greyscale frame. */
function checkPage(ifd: TiffIfd, k: number, name: string): void {
  const where = `${name}: page ${k}`;
  if (ifd.samplesPerPixel !== 1) {
    throw new StimulusError(
      `${where} has ${ifd.samplesPerPixel} samples per pixel (${PHOTOMETRIC[ifd.type] ?? "colour or alpha"}); a greyscale stack (1 sample per pixel) is expected`,
    );
  }
  if (ifd.type !== 1) {
    throw new StimulusError(
      `${where} is ${PHOTOMETRIC[ifd.type] ?? `photometric interpretation ${ifd.type}`}; only BlackIsZero greyscale is supported`,
    );
  }
  const bits = ifd.bitsPerSample;
  const format = ifd.sampleFormat;
  const ok = format === 3 ? bits === 32 || bits === 64 : (format === 1 || format === 2) && (bits === 8 || bits === 16);
  if (!ok) {
    throw new StimulusError(
      `${where} has ${bits}-bit ${SAMPLE_FORMAT[format] ?? `sample format ${format}`} samples; supported: 32/64-bit float, 8/16-bit integer`,
    );
  }
}

/** Page data as float32: signed integers reinterpret the decoder's unsigned words. */
function pageToFloat32(ifd: TiffIfd, out: Float32Array, offset: number): void {
  const d = ifd.data;
  let src: ArrayLike<number> = d;
  if (ifd.sampleFormat === 2) {
    src =
      ifd.bitsPerSample === 8
        ? new Int8Array(d.buffer, d.byteOffset, d.length)
        : new Int16Array(d.buffer, d.byteOffset, d.length);
  }
  for (let i = 0; i < src.length; i++) out[offset + i] = src[i];
}

/** ImageJ writes `images=N` in its description; a stack stored behind one IFD is not read here. */
function imagejImages(ifd: TiffIfd): number | undefined {
  const m = /(?:^|\n)images=(\d+)/.exec(ifd.imageDescription ?? "");
  return m ? Number(m[1]) : undefined;
}

/** Decode a TIFF stack's bytes into frames [T, H, W]; `name` (the path) for messages. */
export function decodeStimulus(bytes: Uint8Array, name: string): Stimulus {
  // The decoder bounds its reads by the whole ArrayBuffer, not by the view: give it its own.
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) bytes = new Uint8Array(bytes);
  let pages: TiffIfd[];
  try {
    pages = decode(bytes, { ignoreImageData: true });
  } catch (e) {
    throw new StimulusError(`${name}: not a readable TIFF file (${message(e)})`);
  }
  if (pages.length === 0) throw new StimulusError(`${name}: the TIFF file has no pages`);
  pages.forEach((ifd, k) => checkPage(ifd, k, name));
  const { width, height } = pages[0];
  if (!(width > 0 && height > 0)) throw new StimulusError(`${name}: page 0 has size ${width}×${height}`);
  pages.forEach((ifd, k) => {
    if (ifd.width !== width || ifd.height !== height) {
      throw new StimulusError(
        `${name}: page ${k} is ${ifd.width}×${ifd.height} (width×height) but page 0 is ${width}×${height}; all frames must have one size`,
      );
    }
  });
  const declared = imagejImages(pages[0]);
  if (declared !== undefined && declared > 1 && pages.length === 1) {
    throw new StimulusError(
      `${name}: ImageJ stack of ${declared} images stored behind a single page directory; save it as a multi-page TIFF`,
    );
  }
  try {
    pages = decode(bytes);
  } catch (e) {
    throw new StimulusError(`${name}: cannot decode the image data (${message(e)})`);
  }
  const frame = width * height;
  const data = new Float32Array(pages.length * frame);
  pages.forEach((ifd, k) => {
    if (ifd.data.length !== frame)
      throw new StimulusError(`${name}: page ${k} decoded to ${ifd.data.length} values, expected ${width}×${height}`);
    pageToFloat32(ifd, data, k * frame);
  });
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const t = Math.floor(i / frame);
      const r = Math.floor((i % frame) / width);
      throw new StimulusError(`${name}: page ${t}, row ${r}, column ${i % width} is ${data[i]}; stimulus values must be finite`);
    }
  }
  return { frames: pages.length, height, width, data };
}

/** Read a stimulus TIFF stack: frames [T, H, W] as float32. */
export function readStimulus(path: string): Stimulus {
  let bytes: Buffer;
  try {
    // stat first: reading a FIFO would block, a device would not end.
    const st = statSync(path);
    if (!st.isFile()) throw new StimulusError(`${path}: not a regular file`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof StimulusError) throw e;
    throw new StimulusError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return decodeStimulus(bytes, path);
}

/** Frame t as a view [H, W] (no copy). */
export function stimulusFrame(s: Stimulus, t: number): Float32Array {
  if (!(Number.isInteger(t) && t >= 0 && t < s.frames)) throw new RangeError(`frame ${t} is outside 0…${s.frames - 1}`);
  const n = s.height * s.width;
  return s.data.subarray(t * n, (t + 1) * n);
}
