/**
 * Property tests of the file loaders: malformed .npy files (random or truncated headers, wrong
 * magic, huge shapes, dtype mismatches, truncated or extra data), malformed safetensors files and
 * malformed dataset folders either load into something consistent with what they claim, or fail
 * with the loader's own Error subclass and a message that names the file — never a TypeError or
 * RangeError, a hang, or an allocation sized by an unchecked header.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { DatasetError, readDatasetMeta } from "../simulate/dataset.js";
import { loadTrainingData } from "../train/data.js";
import { NpyError, npyHeader, parseNpy, readNpy, readNpyF32, readNpyHeader, readNpyRows, writeNpy } from "./npy.js";
import { SafetensorsError, decodeSafetensors, encodeSafetensors, readSafetensors } from "./safetensors.js";

const DIR = tempDir("ngnn-fuzz-");
const RUNS = 150;

/** `f` returns, or throws one of `errors` whose message starts with `name`. Returns the result or undefined. */
function resultOrClearError<T>(f: () => T, name: string, errors: (new (...args: never[]) => Error)[]): T | undefined {
  try {
    return f();
  } catch (e) {
    expect(
      errors.some((E) => e instanceof E),
      `${(e as Error)?.stack ?? e}`,
    ).toBe(true);
    expect((e as Error).message.startsWith(name), (e as Error).message).toBe(true);
    return undefined;
  }
}

/** A result that claims a shape holds exactly that many elements. */
function consistent(a: { shape: number[]; data: ArrayLike<unknown> }): void {
  expect(a.shape.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
  expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
}

/** `arb` one time in four, else undefined (a mutation applied to some inputs only). */
const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });

const DESCRS = ["<f4", "<f8", "<i4", "<i8", "|u1", "|b1", ">f4", "<f2", "O", "toString", "<U3", "", "'"];

/** Header dict texts: mostly well-formed with random fields, sometimes garbage. */
const headerDict = fc.oneof(
  fc
    .record({
      descr: fc.constantFrom(...DESCRS),
      fortran: fc.constantFrom("False", "True", "0"),
      shape: fc.array(
        fc.oneof(
          fc.nat(6).map(String),
          fc.constantFrom("1000000000", "99999999999999999999", "-1", "1e9", "2.5", "x", "", " 3 "),
        ),
        { maxLength: 4 },
      ),
      comma: fc.boolean(),
    })
    .map(
      ({ descr, fortran, shape, comma }) =>
        `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': (${shape.join(", ")}${comma ? "," : ""}), }`,
    ),
  fc.string({ maxLength: 80 }),
);

/** Whole .npy files: valid ones, then mutated (truncated, bytes flipped, extended, header replaced). */
const npyFile = fc
  .record({
    dtype: fc.constantFrom("<f4", "<f8", "<i4", "<i8", "|u1") as fc.Arbitrary<"<f4" | "<f8" | "<i4" | "<i8" | "|u1">,
    shape: fc.array(fc.nat(5), { maxLength: 3 }),
    version: fc.constantFrom(1, 2, 3),
    dict: sometimes(headerDict),
    cut: sometimes(fc.nat(300)),
    flips: sometimes(fc.array(fc.tuple(fc.nat(200), fc.nat(255)), { minLength: 1, maxLength: 3 })),
    extra: sometimes(fc.uint8Array({ minLength: 1, maxLength: 16 })),
    headerLen: sometimes(fc.constantFrom(0, 1, 5, 0xffff, 0x7fffffff, 0xffffffff)),
  })
  .map(({ dtype, shape, version, dict, cut, flips, extra, headerLen }) => {
    const size = { "<f4": 4, "<f8": 8, "<i4": 4, "<i8": 8, "|u1": 1 }[dtype];
    const n = shape.reduce((a, b) => a * b, 1);
    let head = npyHeader(dtype, shape);
    if (dict !== undefined || version !== 1) {
      const text = Buffer.from(`${dict ?? head.subarray(10).toString("latin1").trimEnd()}\n`, "latin1");
      const pre = Buffer.alloc(version === 1 ? 10 : 12);
      head.copy(pre, 0, 0, 8);
      pre[6] = version;
      if (version === 1) pre.writeUInt16LE(text.length % 65536, 8);
      else pre.writeUInt32LE(text.length, 8);
      head = Buffer.concat([pre, text]);
    }
    if (headerLen !== undefined) {
      if (head[6] === 1) head.writeUInt16LE(headerLen % 65536, 8);
      else head.writeUInt32LE(headerLen, 8);
    }
    let bytes = Buffer.concat([head, Buffer.alloc(n * size, 7), Buffer.from(extra ?? [])]);
    for (const [at, v] of flips ?? []) if (at < bytes.length) bytes[at] = v;
    if (cut !== undefined) bytes = bytes.subarray(0, cut);
    return bytes;
  });

describe("loaders under malformed files (property tests)", () => {
  it(".npy: readNpy, readNpyF32, readNpyHeader, readNpyRows and parseNpy", () => {
    const path = join(DIR, "fuzz.npy");
    fc.assert(
      fc.property(npyFile, fc.nat(4), fc.nat(4), (bytes, start, count) => {
        writeFileSync(path, bytes);
        const a = resultOrClearError(() => readNpy(path), path, [NpyError]);
        if (a) consistent(a);
        const h = resultOrClearError(() => readNpyHeader(path), path, [NpyError]);
        expect(h === undefined).toBe(a === undefined);
        const f = resultOrClearError(() => readNpyF32(path), path, [NpyError]);
        if (f) expect(f.data).toBeInstanceOf(Float32Array);
        const rows = resultOrClearError(() => readNpyRows(path, start, count), path, [NpyError]);
        if (rows) expect(rows.data.length).toBe(count * rows.shape.slice(1).reduce((x, y) => x * y, 1));
        const p = resultOrClearError(() => parseNpy(bytes, "bytes.npy"), "bytes.npy", [NpyError]);
        if (p) consistent(p);
      }),
      { numRuns: RUNS },
    );
  });

  it("safetensors: decodeSafetensors and readSafetensors", () => {
    const path = join(DIR, "fuzz.safetensors");
    const entry = fc.record(
      {
        dtype: fc.oneof(fc.constantFrom("F32", "F64", "I64", "BF16"), fc.anything()),
        shape: fc.oneof(fc.array(fc.oneof(fc.nat(6), fc.integer(), fc.double(), fc.string())), fc.anything()),
        data_offsets: fc.oneof(
          fc.tuple(fc.nat(200), fc.nat(200)),
          fc.array(fc.oneof(fc.integer(), fc.constantFrom(1e300, -1, 2 ** 60, "8")), { maxLength: 3 }),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    const header = fc.oneof(
      fc.dictionary(
        fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom("__metadata__", "__proto__", "a")),
        fc.oneof(entry, fc.anything()),
      ),
      fc.jsonValue(),
    );
    const file = fc
      .record({
        header,
        data: fc.uint8Array({ maxLength: 200 }),
        hlen: sometimes(fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(0n, 2n ** 63n))),
        cut: sometimes(fc.nat(300)),
        raw: sometimes(fc.string({ maxLength: 40 })),
      })
      .map(({ header, data, hlen, cut, raw }) => {
        const json = Buffer.from(raw ?? JSON.stringify(header) ?? "null", "utf8");
        const head = Buffer.alloc(8);
        head.writeBigUInt64LE(hlen ?? BigInt(json.length), 0);
        const bytes = Buffer.concat([head, json, data]);
        return cut === undefined ? bytes : bytes.subarray(0, cut);
      });
    const valid = fc
      .array(fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.array(fc.nat(3), { maxLength: 2 })), { maxLength: 3 })
      .map((ts) =>
        encodeSafetensors(
          ts
            .filter(([name], i) => name !== "__metadata__" && ts.findIndex(([m]) => m === name) === i)
            .map(([name, shape]) => ({ name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) })),
        ),
      );
    const mutated = fc.tuple(valid, fc.nat(200), fc.nat(255), sometimes(fc.nat(300))).map(([b, at, v, cut]) => {
      const c = Buffer.from(b);
      if (at < c.length) c[at] = v;
      return cut === undefined ? c : c.subarray(0, cut);
    });
    fc.assert(
      fc.property(fc.oneof(file, mutated), (bytes) => {
        writeFileSync(path, bytes);
        for (const r of [
          resultOrClearError(() => readSafetensors(path), path, [SafetensorsError]),
          resultOrClearError(() => decodeSafetensors(bytes, "b.safetensors"), "b.safetensors", [SafetensorsError]),
        ]) {
          if (!r) continue;
          for (const t of r.tensors.values()) consistent(t);
          for (const v of Object.values(r.metadata)) expect(typeof v).toBe("string");
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("dataset.json: readDatasetMeta", () => {
    const dir = join(DIR, "meta");
    mkdirSync(dir, { recursive: true });
    const base = { format: "neural-gnn-dataset", version: 1, n_neurons: 4, n_frames: 30, delta_t: 0.01 };
    const value = fc.oneof(fc.jsonValue(), fc.constantFrom(0, -1, 1e9, 2 ** 40, 0.5, "4", null, [[1, 2, 3]], [[1, "x"]]));
    const key = fc.constantFrom("format", "n_neurons", "n_frames", "delta_t", "n_neuron_types", "params", "version");
    const text = fc.oneof(
      {
        arbitrary: fc.dictionary(key, value, { maxKeys: 2 }).map((changes) => JSON.stringify({ ...base, ...changes })),
        weight: 4,
      },
      { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? ""), weight: 1 },
      { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    );
    const path = join(dir, "dataset.json");
    fc.assert(
      fc.property(text, (t) => {
        writeFileSync(path, t);
        const meta = resultOrClearError(() => readDatasetMeta(dir), path, [DatasetError]);
        if (!meta) return;
        expect(Number.isInteger(meta.n_neurons) && meta.n_neurons >= 1).toBe(true);
        expect(Number.isInteger(meta.n_frames) && meta.n_frames >= 1).toBe(true);
        expect(meta.delta_t > 0 && Number.isFinite(meta.delta_t)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("dataset folders: loadTrainingData", () => {
    const folder = fc.record({
      N: fc.integer({ min: 1, max: 4 }),
      R: fc.oneof(
        { arbitrary: fc.integer({ min: 8, max: 12 }), weight: 4 },
        { arbitrary: fc.integer({ min: 1, max: 7 }), weight: 1 },
      ),
      meta: sometimes(
        fc.dictionary(
          fc.constantFrom("n_neurons", "n_frames", "n_neuron_types", "params", "delta_t"),
          fc.oneof(fc.integer({ min: -2, max: 14 }), fc.constantFrom(0.01, 1e9, "x", null, [[1, 2, 3]])),
          { maxKeys: 2 },
        ),
      ),
      xShape: sometimes(fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 3 })),
      xValue: fc.constantFrom(0, 1.5, 1.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY),
      xBytes: sometimes(npyFile),
      derivative: fc.boolean(),
      types: fc.option(
        fc.record({
          values: fc.array(
            fc.oneof({ arbitrary: fc.nat(3), weight: 6 }, { arbitrary: fc.integer({ min: -2, max: 9 }), weight: 1 }),
            {
              minLength: 4,
              maxLength: 4,
            },
          ),
          n: sometimes(fc.nat(5)),
        }),
        { nil: undefined },
      ),
      W: fc.option(fc.tuple(sometimes(fc.integer({ min: 0, max: 5 })), fc.constantFrom(0.5, 0.5, Number.NaN)), {
        nil: undefined,
      }),
    });
    let run = 0;
    fc.assert(
      fc.property(folder, (f) => {
        const dir = join(DIR, `folder-${run++}`);
        mkdirSync(dir);
        try {
          const meta = { format: "neural-gnn-dataset", version: 1, n_neurons: f.N, n_frames: f.R, delta_t: 0.01, ...f.meta };
          writeFileSync(join(dir, "dataset.json"), JSON.stringify(meta));
          const xs = f.xShape ?? [f.R, f.N];
          const n = xs.reduce((a, b) => a * b, 1);
          if (f.xBytes) writeFileSync(join(dir, "activity.npy"), f.xBytes);
          else writeNpy(join(dir, "activity.npy"), new Float32Array(n).fill(f.xValue), xs);
          if (f.derivative) writeNpy(join(dir, "derivative.npy"), new Float32Array(n), xs);
          if (f.types) {
            const t = Int32Array.from({ length: f.types.n ?? f.N }, (_, i) => f.types?.values[i % 4] ?? 0);
            writeNpy(join(dir, "neuron_types.npy"), t, [t.length]);
          }
          if (f.W) {
            const n = f.W[0] ?? f.N;
            writeNpy(join(dir, "connectivity.npy"), new Float32Array(n * n).fill(f.W[1]), [n, n]);
          }
          const d = resultOrClearError(() => loadTrainingData(dir), dir, [DatasetError, NpyError]);
          if (!d) return;
          expect(d.x.length).toBe((d.nFrames + 1) * d.N);
          expect(d.x.every(Number.isFinite) && d.y.every(Number.isFinite)).toBe(true);
          if (d.types) expect(d.types.every((t) => t >= 0 && t < (d.nTypes as number))).toBe(true);
          if (d.W) expect(d.W.length).toBe(d.N * d.N);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS },
    );
  });
});
