import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasNumpy, python, tempDir } from "../../test/helpers.js";
import { NpyError, NpyWriter, npyHeader, parseNpy, readNpy, readNpyF32, readNpyHeader, readNpyRows, writeNpy } from "./npy.js";

/** An .npy file with a hand-written header dict and `data` bytes. */
function rawNpy(dict: string, data: Uint8Array = new Uint8Array(0), version = 1): Buffer {
  const pre = version === 1 ? 10 : 12;
  const text = Buffer.from(`${dict}\n`, "latin1");
  const head = Buffer.alloc(pre);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(head);
  if (version === 1) head.writeUInt16LE(text.length, 8);
  else head.writeUInt32LE(text.length, 8);
  return Buffer.concat([head, text, data]);
}

describe(".npy files", () => {
  it("round-trips float32, float64 and int32 arrays", () => {
    const dir = tempDir();
    const f32 = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 3);
    writeNpy(join(dir, "a.npy"), f32, [3, 4]);
    const a = readNpy(join(dir, "a.npy"));
    expect(a.dtype).toBe("<f4");
    expect(a.shape).toEqual([3, 4]);
    expect(Array.from(a.data as Float32Array)).toEqual(Array.from(f32));
    writeNpy(join(dir, "b.npy"), Float64Array.of(1.5, -2), [2]);
    expect(readNpy(join(dir, "b.npy")).shape).toEqual([2]);
    writeNpy(join(dir, "c.npy"), Int32Array.of(7, 8, 9), [3]);
    expect(Array.from(readNpy(join(dir, "c.npy")).data as Int32Array)).toEqual([7, 8, 9]);
  });

  it("aligns the header to 64 bytes", () => {
    expect(npyHeader("<f4", [100001, 1000]).length % 64).toBe(0);
    expect(npyHeader("<i4", [7]).length % 64).toBe(0);
  });

  it("streams chunks and refuses a short or long stream", () => {
    const dir = tempDir();
    const w = new NpyWriter(join(dir, "s.npy"), "<f4", [4, 2]);
    w.write(Float32Array.of(1, 2, 3, 4));
    w.write(Float32Array.of(5, 6, 7, 8));
    expect(() => w.write(Float32Array.of(9))).toThrowError(/more data than shape/);
    w.close();
    expect(Array.from(readNpyRows(join(dir, "s.npy"), 1, 2).data)).toEqual([3, 4, 5, 6]);
    const short = new NpyWriter(join(dir, "short.npy"), "<f4", [4]);
    short.write(Float32Array.of(1));
    expect(() => short.close()).toThrowError(/wrote 4 of 16 data bytes/);
  });

  it("gives clear errors on bad files", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "junk.npy"), "not numpy at all");
    expect(() => readNpy(join(dir, "junk.npy"))).toThrowError(/junk\.npy: not a \.npy file/);
    writeNpy(join(dir, "t.npy"), Float32Array.of(1, 2, 3, 4), [4]);
    const bytes = readFileSync(join(dir, "t.npy"));
    writeFileSync(join(dir, "trunc.npy"), bytes.subarray(0, bytes.length - 3));
    expect(() => readNpy(join(dir, "trunc.npy"))).toThrowError(/trunc\.npy: truncated data/);
    expect(() => readNpy(join(dir, "missing.npy"))).toThrowError(/missing\.npy: cannot read \(ENOENT\)/);
    expect(() => readNpyF32(join(dir, "t.npy"), [2, 2])).toThrowError(/expected shape \(2, 2\), found \(4\)/);
  });

  it("checks the header against the file size and the expected shape before reading any data", () => {
    const dir = tempDir();
    const f = (name: string, bytes: Uint8Array) => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    // A header that claims 10¹² float32 values in a 100-byte file: refused without allocating them.
    const huge = f("huge.npy", rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }"));
    expect(() => readNpy(huge)).toThrowError(
      /huge\.npy: truncated data: expected 4000000000000 bytes for shape \(1000000, 1000000\) of <f4, found 0/,
    );
    expect(() => readNpyRows(huge, 0, 1)).toThrowError(/huge\.npy: truncated data/);
    const overflow = f(
      "overflow.npy",
      rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (999999999999999, 999999999999999), }"),
    );
    expect(() => readNpy(overflow)).toThrowError(/overflow\.npy: shape \(999999999999999, 999999999999999\) of <f8 is too large/);
    // Header length beyond the file, or beyond any sane header.
    const long = rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4), 2);
    long.writeUInt32LE(0xfffffff0, 8);
    expect(() => readNpy(f("long.npy", long))).toThrowError(/long\.npy: \.npy header of 4294967280 bytes is too large/);
    // Trailing bytes after the data mean the header and the file disagree.
    writeNpy(join(dir, "ok.npy"), Float32Array.of(1, 2, 3, 4), [2, 2]);
    const ok = readFileSync(join(dir, "ok.npy"));
    expect(() => readNpy(f("trailing.npy", Buffer.concat([ok, Buffer.alloc(8)])))).toThrowError(
      /trailing\.npy: 8 bytes after the data of shape \(2, 2\) of <f4/,
    );
    expect(() => readNpy(f("shape.npy", rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1e9,), }")))).toThrowError(
      /shape\.npy: bad shape \(1e9,\)/,
    );
    expect(() => readNpy(f("dtype.npy", rawNpy("{'descr': 'toString', 'fortran_order': False, 'shape': (), }")))).toThrowError(
      /dtype\.npy: unsupported dtype 'toString'/,
    );
    // The expected shape is checked from the header.
    expect(readNpyHeader(join(dir, "ok.npy"))).toMatchObject({ dtype: "<f4", shape: [2, 2], count: 4, dataBytes: 16 });
    expect(() => readNpy(join(dir, "ok.npy"), { shape: [4, 4] })).toThrowError(
      /ok\.npy: expected shape \(4, 4\), found \(2, 2\)/,
    );
    expect(() => readNpyRows(join(dir, "ok.npy"), 1, -1)).toThrowError(/ok\.npy: rows 1\.\.0 out of range/);
    expect(() => readNpyRows(join(dir, "ok.npy"), 0.5, 1)).toThrowError(/out of range/);
  });

  it("refuses devices, directories and FIFOs at once, naming the file", () => {
    const dir = tempDir();
    const fifo = join(dir, "fifo.npy");
    execFileSync("mkfifo", [fifo]);
    const cases: [string, string][] = [
      ["/dev/zero", "a character device"],
      [dir, "a directory"],
      [fifo, "a FIFO"],
    ];
    for (const [path, kind] of cases) {
      for (const read of [() => readNpy(path), () => readNpyRows(path, 0, 1), () => readNpyHeader(path)]) {
        const t0 = performance.now();
        expect(read).toThrowError(NpyError);
        expect(read).toThrowError(`${path}: not a regular file (${kind})`);
        expect(performance.now() - t0).toBeLessThan(1000);
      }
    }
  });

  it("copies data that is not aligned for its dtype", () => {
    const h = npyHeader("<f4", [2]);
    const buf = new Uint8Array(h.length + 8 + 1);
    buf.set(h, 1);
    new DataView(buf.buffer).setFloat32(1 + h.length, 2.5, true);
    const a = parseNpy(buf.subarray(1), "x");
    expect((a.data as Float32Array)[0]).toBe(2.5);
  });

  it.runIf(hasNumpy())("interoperates with numpy both ways", () => {
    const dir = tempDir();
    const ours = join(dir, "ours.npy");
    writeNpy(
      ours,
      Float32Array.from({ length: 6 }, (_, i) => i / 4),
      [2, 3],
    );
    expect(python(`import numpy as np; a=np.load('${ours}'); print(a.dtype, a.shape, float(a[1,2]))`).trim()).toBe(
      "float32 (2, 3) 1.25",
    );
    const theirs = join(dir, "theirs.npy");
    python(
      `import numpy as np; np.save('${theirs}', np.arange(6, dtype=np.float64).reshape(3, 2) * 1.5); np.save('${join(dir, "i.npy")}', np.array([3, 1], dtype=np.int32))`,
    );
    const a = readNpy(theirs);
    expect(a.shape).toEqual([3, 2]);
    expect(Array.from(a.data as Float64Array)).toEqual([0, 1.5, 3, 4.5, 6, 7.5]);
    expect(Array.from(readNpy(join(dir, "i.npy")).data as Int32Array)).toEqual([3, 1]);
  });
});
