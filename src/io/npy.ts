/**
 * NumPy `.npy` files (format versions 1.0–3.0, C order): read into typed arrays (a view on the
 * file's bytes when aligned, no copy), write whole arrays atomically, or stream frames into a file
 * whose shape is known in advance (`NpyWriter`).
 */
import {
  constants,
  type Stats,
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
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

/** Largest header accepted (numpy writes under 1 KiB; version 2 allows 4 GiB, which we refuse to read). */
export const MAX_NPY_HEADER_BYTES = 1 << 20;

/** What the header of an `.npy` file says, checked against the file's size. */
export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  /** Byte offset of the data in the file. */
  dataOffset: number;
  /** Number of elements (product of the shape) and data bytes (elements × dtype size). */
  count: number;
  dataBytes: number;
}

/** Bytes of the fixed preamble: magic (6), version (2), header length (2 in version 1, 4 in 2 and 3). */
function preamble(buf: Buffer, name: string): { start: number; headerLen: number; major: number } {
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) throw new NpyError(`${name}: not a .npy file (bad magic)`);
  const major = buf[6];
  if (major === 1) return { start: 10, headerLen: buf.readUInt16LE(8), major };
  if (major === 2 || major === 3) {
    if (buf.length < 12) throw new NpyError(`${name}: truncated .npy header`);
    return { start: 12, headerLen: buf.readUInt32LE(8), major };
  }
  throw new NpyError(`${name}: unsupported .npy version ${major}`);
}

/** Parse the header dictionary text; `fileBytes` (the whole file's length) bounds the data. */
function headerDict(text: string, name: string, dataOffset: number, fileBytes: number): NpyHeader {
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    throw new NpyError(`${name}: malformed .npy header: ${JSON.stringify(text.trim().slice(0, 200))}`);
  if (fortran === "True") throw new NpyError(`${name}: Fortran-order arrays are not supported (save with np.ascontiguousarray)`);
  const dtype = (Object.hasOwn(DTYPES, descr) ? descr : undefined) as NpyDtype | undefined;
  if (!dtype)
    throw new NpyError(
      `${name}: unsupported dtype '${descr}' (supported: float32, float64, int32, int64, uint8, bool; little-endian)`,
    );
  const parts = shapeText.split(",").map((s) => s.trim());
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length === 1 && parts[0] === "") parts.pop();
  if (parts.some((d) => !/^\d{1,15}$/.test(d))) throw new NpyError(`${name}: bad shape (${shapeText})`);
  const shape = parts.map(Number);
  const size = DTYPES[dtype].bytes;
  const count = shape.reduce((a, b) => a * b, 1);
  const dataBytes = count * size;
  const shown = `shape (${shape.join(", ")}) of ${dtype}`;
  if (!Number.isSafeInteger(dataBytes)) throw new NpyError(`${name}: ${shown} is too large`);
  const found = fileBytes - dataOffset;
  if (found < dataBytes) throw new NpyError(`${name}: truncated data: expected ${dataBytes} bytes for ${shown}, found ${found}`);
  if (found > dataBytes)
    throw new NpyError(`${name}: ${found - dataBytes} bytes after the data of ${shown} (corrupt or not written by numpy)`);
  return { dtype, shape, dataOffset, count, dataBytes };
}

/** The header of an `.npy` file held in `buf` (whose length is the file's). */
function headerOf(buf: Buffer, name: string): NpyHeader {
  const { start, headerLen, major } = preamble(buf, name);
  if (start + headerLen > buf.length) throw new NpyError(`${name}: truncated .npy header`);
  const text = buf.toString(major === 3 ? "utf8" : "latin1", start, start + headerLen);
  return headerDict(text, name, start + headerLen, buf.length);
}

/** Parse an `.npy` file's bytes; `name` is used in error messages. With `headerOnly`, data is empty. */
export function parseNpy(bytes: Uint8Array, name: string, headerOnly = false): NpyArray {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { dtype, shape, dataOffset, count, dataBytes } = headerOf(buf, name);
  const { bytes: size, make } = DTYPES[dtype];
  if (headerOnly) return { dtype, shape, data: make(new ArrayBuffer(0), 0, 0) };
  const abs = buf.byteOffset + dataOffset;
  let data: NpyData;
  if (abs % size === 0) {
    data = make(buf.buffer as ArrayBuffer, abs, count);
  } else {
    const copy = new Uint8Array(dataBytes);
    copy.set(buf.subarray(dataOffset, dataOffset + dataBytes));
    data = make(copy.buffer, 0, count);
  }
  return { dtype, shape, data };
}

const KIND: [keyof Stats, string][] = [
  ["isDirectory", "a directory"],
  ["isCharacterDevice", "a character device"],
  ["isBlockDevice", "a block device"],
  ["isFIFO", "a FIFO"],
  ["isSocket", "a socket"],
];

/** Open a regular file for reading (a device, FIFO or directory is refused before it is opened). */
function openRegular(path: string): { fd: number; size: number } {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    throw new NpyError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  if (!st.isFile()) {
    const kind = KIND.find(([k]) => (st[k] as () => boolean).call(st))?.[1] ?? "not a regular file";
    throw new NpyError(`${path}: not a regular file (${kind})`);
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new NpyError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return { fd, size: fstatSync(fd).size };
}

/** Fill `bytes` from `fd` at file position `pos`. */
function readFully(fd: number, bytes: Uint8Array, pos: number, path: string): void {
  let off = 0;
  while (off < bytes.length) {
    const n = readSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 30), pos + off);
    if (n === 0) throw new NpyError(`${path}: truncated data (the file shrank while it was read)`);
    off += n;
  }
}

/** Read and check the header of an open `.npy` file of `size` bytes. */
function readHeaderFd(fd: number, size: number, path: string): NpyHeader {
  const pre = Buffer.alloc(Math.min(12, size));
  readFully(fd, pre, 0, path);
  const { start, headerLen } = preamble(pre, path);
  if (headerLen > MAX_NPY_HEADER_BYTES) throw new NpyError(`${path}: .npy header of ${headerLen} bytes is too large`);
  if (start + headerLen > size) throw new NpyError(`${path}: truncated .npy header`);
  const head = Buffer.alloc(start + headerLen);
  readFully(fd, head, 0, path);
  const { major } = preamble(head, path);
  return headerDict(head.toString(major === 3 ? "utf8" : "latin1", start, start + headerLen), path, start + headerLen, size);
}

/** The header of an `.npy` file (dtype, shape), checked against the file's size, without reading the data. */
export function readNpyHeader(path: string): NpyHeader {
  const { fd, size } = openRegular(path);
  try {
    return readHeaderFd(fd, size, path);
  } finally {
    closeSync(fd);
  }
}

function checkShape(found: readonly number[], expected: readonly number[] | undefined, path: string): void {
  if (expected && (found.length !== expected.length || found.some((d, i) => d !== expected[i]))) {
    throw new NpyError(`${path}: expected shape (${expected.join(", ")}), found (${found.join(", ")})`);
  }
}

/** An ArrayBuffer of `bytes` bytes, or an NpyError naming the file when memory does not allow it. */
function allocate(bytes: number, path: string): ArrayBuffer {
  try {
    return new ArrayBuffer(bytes);
  } catch {
    throw new NpyError(`${path}: cannot hold ${bytes} bytes of data in memory`);
  }
}

/**
 * Read an `.npy` file. The header is checked (magic, header length, shape × dtype size against the
 * file's size and, when given, `options.shape`) before any data is read.
 */
export function readNpy(path: string, options: { shape?: readonly number[] } = {}): NpyArray {
  const { fd, size } = openRegular(path);
  try {
    const h = readHeaderFd(fd, size, path);
    checkShape(h.shape, options.shape, path);
    const buffer = allocate(h.dataBytes, path);
    readFully(fd, new Uint8Array(buffer), h.dataOffset, path);
    return { dtype: h.dtype, shape: h.shape, data: DTYPES[h.dtype].make(buffer, 0, h.count) };
  } finally {
    closeSync(fd);
  }
}

/** Read an `.npy` file as float32 (float64 is converted), checking the shape when `shape` is given. */
export function readNpyF32(path: string, shape?: readonly number[]): NpyArray<Float32Array> {
  const a = readNpy(path, { shape });
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
  const { fd, size } = openRegular(path);
  try {
    const h = readHeaderFd(fd, size, path);
    if (h.dtype !== "<f4") throw new NpyError(`${path}: expected float32, found ${h.dtype}`);
    if (h.shape.length === 0) throw new NpyError(`${path}: expected an array with rows, found a scalar`);
    const rows = h.shape[0];
    const rowLen = h.shape.slice(1).reduce((a, b) => a * b, 1);
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > rows)
      throw new NpyError(`${path}: rows ${start}..${start + count} out of range (0..${rows})`);
    const data = new Float32Array(allocate(count * rowLen * 4, path));
    readFully(fd, new Uint8Array(data.buffer), h.dataOffset + start * rowLen * 4, path);
    return { dtype: "<f4", shape: [count, ...h.shape.slice(1)], data };
  } finally {
    closeSync(fd);
  }
}
