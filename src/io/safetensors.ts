/**
 * safetensors files (the format of Hugging Face's `safetensors`): u64 little-endian header length,
 * a JSON header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}, then the
 * raw little-endian tensor bytes. Written atomically; read with checks that name the file and the
 * problem.
 */
import { readFileSync } from "node:fs";
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

/** Parse a safetensors file's bytes into float32 tensors (F64 is converted); `name` for messages. */
export function decodeSafetensors(
  bytes: Uint8Array,
  name: string,
): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8) throw new SafetensorsError(`${name}: not a safetensors file (too short)`);
  const hlen = Number(buf.readBigUInt64LE(0));
  if (hlen <= 0 || 8 + hlen > buf.length) throw new SafetensorsError(`${name}: corrupted safetensors header length (${hlen})`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(buf.toString("utf8", 8, 8 + hlen));
  } catch (e) {
    throw new SafetensorsError(`${name}: corrupted safetensors header (${(e as Error).message})`);
  }
  const dataStart = 8 + hlen;
  const tensors = new Map<string, NamedTensor>();
  let metadata: Record<string, string> = {};
  for (const [key, entry] of Object.entries(header)) {
    if (key === "__metadata__") {
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (!Array.isArray(e.shape) || !Array.isArray(e.data_offsets))
      throw new SafetensorsError(`${name}: tensor ${key} has a malformed header entry`);
    const [begin, end] = e.data_offsets;
    const n = e.shape.reduce((a, b) => a * b, 1);
    const size = e.dtype === "F32" ? 4 : e.dtype === "F64" ? 8 : 0;
    if (!size) throw new SafetensorsError(`${name}: tensor ${key} has unsupported dtype ${e.dtype} (F32 or F64 expected)`);
    if (end - begin !== n * size || dataStart + end > buf.length || begin < 0) {
      throw new SafetensorsError(
        `${name}: tensor ${key} data is truncated or inconsistent with its shape (${e.shape.join(", ")})`,
      );
    }
    const raw = buf.subarray(dataStart + begin, dataStart + end);
    const data = new Float32Array(n);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let k = 0; k < n; k++) data[k] = size === 4 ? view.getFloat32(4 * k, true) : view.getFloat64(8 * k, true);
    tensors.set(key, { name: key, shape: e.shape, data });
  }
  return { tensors, metadata };
}

export function readSafetensors(path: string): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new SafetensorsError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return decodeSafetensors(bytes, path);
}
