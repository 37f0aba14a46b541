import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { SafetensorsError, decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from "./safetensors.js";

/** A safetensors file with header text `json` and `data` bytes. */
function file(json: string, data: Uint8Array = new Uint8Array(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)), 0);
  return Buffer.concat([head, Buffer.from(json), data]);
}

describe("safetensors files", () => {
  it("round-trips float32 tensors and metadata", () => {
    const path = join(tempDir(), "m.safetensors");
    writeSafetensors(path, [{ name: "W", shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) }], { step: "3" });
    const { tensors, metadata } = readSafetensors(path);
    expect(Array.from(tensors.get("W")!.data)).toEqual([1, 2, 3, 4]);
    expect(tensors.get("W")!.shape).toEqual([2, 2]);
    expect(metadata).toEqual({ step: "3" });
  });

  it("refuses headers that are not what they claim with a SafetensorsError naming the file", () => {
    const cases: [Buffer, RegExp][] = [
      [file("null"), /^x\.st: corrupted safetensors header \(not a JSON object\)/],
      [file("[1, 2]"), /^x\.st: corrupted safetensors header \(not a JSON object\)/],
      [file('{"W": null}'), /^x\.st: tensor W has a malformed header entry/],
      [file('{"__metadata__": 5}'), /^x\.st: __metadata__ must map names to strings/],
      [
        file('{"W": {"dtype": "F32", "shape": [-1, -4], "data_offsets": [0, 16]}}', new Uint8Array(16)),
        /tensor W has a bad shape/,
      ],
      [
        file('{"W": {"dtype": "F32", "shape": [4], "data_offsets": ["0", 16]}}', new Uint8Array(16)),
        /tensor W has bad data_offsets/,
      ],
      [file('{"W": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}', new Uint8Array(16)), /tensor W data is truncated/],
      [file('{"W": {"dtype": {}, "shape": [4], "data_offsets": [0, 16]}}', new Uint8Array(16)), /unsupported dtype \{\}/],
      [file("{"), /^x\.st: corrupted safetensors header \(/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeSafetensors(bytes, "x.st"), message.source).toThrowError(SafetensorsError);
      expect(() => decodeSafetensors(bytes, "x.st"), message.source).toThrowError(message);
    }
    const huge = encodeSafetensors([]);
    huge.writeBigUInt64LE(2n ** 63n, 0);
    expect(() => decodeSafetensors(huge, "x.st")).toThrowError(/^x\.st: corrupted safetensors header length/);
  });

  it("refuses devices and directories at once", () => {
    for (const path of ["/dev/zero", tempDir()]) {
      expect(() => readSafetensors(path)).toThrowError(SafetensorsError);
      expect(() => readSafetensors(path)).toThrowError(`${path}: not a regular file`);
    }
  });
});
