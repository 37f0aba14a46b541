import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasNumpy, python, tempDir } from "../../test/helpers.js";
import { NpyWriter, npyHeader, parseNpy, readNpy, readNpyF32, readNpyRows, writeNpy } from "./npy.js";

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
