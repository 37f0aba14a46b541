/**
 * safetensors files (the format of Hugging Face's `safetensors`): u64 little-endian header length,
 * a JSON header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}, then the
 * raw little-endian tensor bytes. Written atomically; read with checks that name the file and the
 * problem.
 */
import { readFileSync, statSync } from "node:fs";
import { writeFileAtomic } from "./atomic.js";

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export class SafetensorsError extends Error {
  override name = "SafetensorsError";
}

/** Serialise float32 tensors (in the given order) with string metadata. */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length)
      throw new SafetensorsError(`${t.name}: shape (${t.shape.join(", ")}) does not match ${t.data.length} values`);
    header[t.name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  let json = JSON.stringify(header);
  json = json.padEnd(Math.ceil(json.length / 8) * 8, " ");
  const out = Buffer.alloc(8 + json.length + offset);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  out.write(json, 8, "utf8");
  let pos = 8 + json.length;
  for (const t of tensors) {
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, pos);
    pos += t.data.byteLength;
  }
  return out;
}

export function writeSafetensors(path: string, tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Parse a safetensors file's bytes into float32 tensors (F64 is converted); `name` for messages. */
export function decodeSafetensors(
  bytes: Uint8Array,
  name: string,
): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8) throw new SafetensorsError(`${name}: not a safetensors file (too short)`);
  const hlen = Number(buf.readBigUInt64LE(0));
  if (hlen <= 0 || 8 + hlen > buf.length) throw new SafetensorsError(`${name}: corrupted safetensors header length (${hlen})`);
  let header: unknown;
  try {
    header = JSON.parse(buf.toString("utf8", 8, 8 + hlen));
  } catch (e) {
    throw new SafetensorsError(`${name}: corrupted safetensors header (${(e as Error).message})`);
  }
  if (!isObject(header)) throw new SafetensorsError(`${name}: corrupted safetensors header (not a JSON object)`);
  const dataStart = 8 + hlen;
  const dataBytes = buf.length - dataStart;
  const tensors = new Map<string, NamedTensor>();
  let metadata: Record<string, string> = {};
  for (const [key, entry] of Object.entries(header)) {
    if (key === "__metadata__") {
      if (!isObject(entry) || !Object.values(entry).every((v) => typeof v === "string"))
        throw new SafetensorsError(`${name}: __metadata__ must map names to strings`);
      metadata = entry as Record<string, string>;
      continue;
    }
    if (!isObject(entry) || !Array.isArray(entry.shape) || !Array.isArray(entry.data_offsets))
      throw new SafetensorsError(`${name}: tensor ${key} has a malformed header entry`);
    const shape = entry.shape as unknown[];
    const offsets = entry.data_offsets as unknown[];
    if (!shape.every(isCount)) throw new SafetensorsError(`${name}: tensor ${key} has a bad shape ${JSON.stringify(shape)}`);
    if (offsets.length !== 2 || !offsets.every(isCount))
      throw new SafetensorsError(`${name}: tensor ${key} has bad data_offsets ${JSON.stringify(offsets)}`);
    const [begin, end] = offsets as [number, number];
    const n = (shape as number[]).reduce((a, b) => a * b, 1);
    const size = entry.dtype === "F32" ? 4 : entry.dtype === "F64" ? 8 : 0;
    if (!size)
      throw new SafetensorsError(
        `${name}: tensor ${key} has unsupported dtype ${JSON.stringify(entry.dtype)} (F32 or F64 expected)`,
      );
    if (end < begin || end - begin !== n * size || end > dataBytes) {
      throw new SafetensorsError(`${name}: tensor ${key} data is truncated or inconsistent with its shape (${shape.join(", ")})`);
    }
    const raw = buf.subarray(dataStart + begin, dataStart + end);
    const data = new Float32Array(n);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let k = 0; k < n; k++) data[k] = size === 4 ? view.getFloat32(4 * k, true) : view.getFloat64(8 * k, true);
    tensors.set(key, { name: key, shape: shape as number[], data });
  }
  return { tensors, metadata };
}

export function readSafetensors(path: string): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  let bytes: Buffer;
  try {
    // stat first: reading a FIFO would block, a device would not end.
    const st = statSync(path);
    if (!st.isFile()) throw new SafetensorsError(`${path}: not a regular file`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof SafetensorsError) throw e;
    throw new SafetensorsError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return decodeSafetensors(bytes, path);
}
