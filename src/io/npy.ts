/**
 * NumPy `.npy` files (format versions 1.0–3.0, C order): read into typed arrays (a view on the
 * file's bytes when aligned, no copy), write whole arrays atomically, or stream frames into a file
 * whose shape is known in advance (`NpyWriter`).
 */
import { closeSync, fsyncSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { tempPath } from "./atomic.js";

export type NpyDtype = "<f4" | "<f8" | "<i4" | "<i8" | "|u1" | "|b1";
export type NpyData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

export interface NpyArray<T extends NpyData = NpyData> {
  dtype: NpyDtype;
  shape: number[];
  data: T;
}

export class NpyError extends Error {
  override name = "NpyError";
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

const DTYPES: Record<NpyDtype, { bytes: number; make: (b: ArrayBuffer, off: number, n: number) => NpyData }> = {
  "<f4": { bytes: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  "<f8": { bytes: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  "<i4": { bytes: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  "<i8": { bytes: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
  "|u1": { bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  "|b1": { bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
};

function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return "<f4";
  if (data instanceof Float64Array) return "<f8";
  if (data instanceof Int32Array) return "<i4";
  if (data instanceof BigInt64Array) return "<i8";
  return "|u1";
}

/** The header bytes (magic, version 1.0, padded dict) for an array of `dtype` and `shape`. */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 10 - 1, " ") + "\n";
  const header = Buffer.alloc(total);
  MAGIC.copy(header, 0);
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(dict.length, 8);
  header.write(dict, 10, "latin1");
  return header;
}

/** Parse an `.npy` file's bytes; `name` is used in error messages. With `headerOnly`, data is empty. */
export function parseNpy(bytes: Uint8Array, name: string, headerOnly = false): NpyArray {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) throw new NpyError(`${name}: not a .npy file (bad magic)`);
  const major = buf[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = buf.readUInt32LE(8);
    start = 12;
  } else {
    throw new NpyError(`${name}: unsupported .npy version ${major}`);
  }
  if (start + headerLen > buf.length) throw new NpyError(`${name}: truncated .npy header`);
  const header = buf.toString(major === 3 ? "utf8" : "latin1", start, start + headerLen);
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new NpyError(`${name}: malformed .npy header: ${header.trim()}`);
  if (fortran === "True") throw new NpyError(`${name}: Fortran-order arrays are not supported (save with np.ascontiguousarray)`);
  const dtype = (
    descr === "<f4" || descr === "<f8" || descr === "<i4" || descr === "<i8" || descr === "|u1" || descr === "|b1"
      ? descr
      : undefined
  ) as NpyDtype | undefined;
  if (!dtype)
    throw new NpyError(
      `${name}: unsupported dtype '${descr}' (supported: float32, float64, int32, int64, uint8, bool; little-endian)`,
    );
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number.parseInt(s, 10));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`${name}: bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const { bytes: size, make } = DTYPES[dtype];
  const dataStart = start + headerLen;
  if (headerOnly) return { dtype, shape, data: make(new ArrayBuffer(0), 0, 0) };
  if (buf.length - dataStart < count * size) {
    throw new NpyError(
      `${name}: truncated data: expected ${count * size} bytes for shape (${shape.join(", ")}), found ${buf.length - dataStart}`,
    );
  }
  const abs = buf.byteOffset + dataStart;
  let data: NpyData;
  if (abs % size === 0) {
    data = make(buf.buffer as ArrayBuffer, abs, count);
  } else {
    const copy = new Uint8Array(count * size);
    copy.set(buf.subarray(dataStart, dataStart + count * size));
    data = make(copy.buffer, 0, count);
  }
  return { dtype, shape, data };
}

/** Read an `.npy` file. */
export function readNpy(path: string): NpyArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new NpyError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return parseNpy(bytes, path);
}

/** Read an `.npy` file as float32 (float64 is converted), checking the shape when `shape` is given. */
export function readNpyF32(path: string, shape?: readonly number[]): NpyArray<Float32Array> {
  const a = readNpy(path);
  if (shape && (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i]))) {
    throw new NpyError(`${path}: expected shape (${shape.join(", ")}), found (${a.shape.join(", ")})`);
  }
  if (a.data instanceof Float32Array) return a as NpyArray<Float32Array>;
  if (a.data instanceof Float64Array) return { dtype: "<f4", shape: a.shape, data: Float32Array.from(a.data) };
  throw new NpyError(`${path}: expected a float32 or float64 array, found dtype ${a.dtype}`);
}

/** Write a whole array to `path` atomically. */
export function writeNpy(path: string, data: NpyData, shape: readonly number[]): void {
  const w = new NpyWriter(path, dtypeOf(data), shape);
  try {
    w.write(data);
    w.close();
  } catch (e) {
    w.abort();
    throw e;
  }
}

/**
 * Streams an array of known shape into `path`: chunks are appended in C order; `close()` checks
 * that exactly the right number of elements arrived and renames the temporary file into place.
 */
export class NpyWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private written = 0;
  private readonly expected: number;

  constructor(
    readonly path: string,
    readonly dtype: NpyDtype,
    readonly shape: readonly number[],
  ) {
    this.expected = shape.reduce((a, b) => a * b, 1) * DTYPES[dtype].bytes;
    this.tmp = tempPath(path);
    this.fd = openSync(this.tmp, "w");
    const h = npyHeader(dtype, shape);
    writeSync(this.fd, h, 0, h.length);
  }

  write(chunk: ArrayBufferView): void {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.written + bytes.byteLength > this.expected)
      throw new NpyError(`${this.path}: more data than shape (${this.shape.join(", ")}) holds`);
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(this.fd, bytes, off, bytes.byteLength - off);
    this.written += bytes.byteLength;
  }

  close(): void {
    if (this.written !== this.expected) {
      this.abort();
      throw new NpyError(`${this.path}: wrote ${this.written} of ${this.expected} data bytes`);
    }
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.tmp, { force: true });
  }
}

/**
 * Read rows [start, start + count) of the first axis of a float32 `.npy` file without reading the
 * rest of the file (for large [T, N] activity files). Returns float32 [count, ...rest].
 */
export function readNpyRows(path: string, start: number, count: number): NpyArray<Float32Array> {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(4096);
    const got = readSync(fd, head, 0, head.length, 0);
    const major = head[6];
    const start0 = major === 1 ? 10 : 12;
    const headerLen = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
    if (start0 + headerLen > got) throw new NpyError(`${path}: header too large`);
    const meta = parseNpy(Buffer.concat([head.subarray(0, start0 + headerLen), Buffer.alloc(0)]), path, true);
    if (meta.dtype !== "<f4") throw new NpyError(`${path}: expected float32, found ${meta.dtype}`);
    const rows = meta.shape[0];
    const rowLen = meta.shape.slice(1).reduce((a, b) => a * b, 1);
    if (start < 0 || start + count > rows)
      throw new NpyError(`${path}: rows ${start}..${start + count} out of range (0..${rows})`);
    const data = new Float32Array(count * rowLen);
    const bytes = new Uint8Array(data.buffer);
    let off = 0;
    const pos = start0 + headerLen + start * rowLen * 4;
    while (off < bytes.length) {
      const n = readSync(fd, bytes, off, bytes.length - off, pos + off);
      if (n === 0) throw new NpyError(`${path}: truncated data`);
      off += n;
    }
    return { dtype: "<f4", shape: [count, ...meta.shape.slice(1)], data };
  } finally {
    closeSync(fd);
  }
}
