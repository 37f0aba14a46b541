import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { writeNpy } from "../io/npy.js";
import { DatasetError, loadTrainingData, loadTruth } from "./data.js";

/** A small valid dataset folder: N neurons, R frames, x[t, i] = sin(0.1 t + i). */
function writeDataset(N: number, R: number, opts: { derivative?: boolean; meta?: object } = {}): string {
  const dir = tempDir("ngnn-data-");
  const x = Float32Array.from({ length: R * N }, (_, k) => 3 * Math.sin(0.1 * Math.floor(k / N) + (k % N)));
  writeNpy(join(dir, "activity.npy"), x, [R, N]);
  if (opts.derivative !== false)
    writeNpy(
      join(dir, "derivative.npy"),
      x.map((v) => -v),
      [R, N],
    );
  const meta = { format: "neural-gnn-dataset", version: 1, n_neurons: N, n_frames: R, delta_t: 0.01, ...opts.meta };
  writeFileSync(join(dir, "dataset.json"), JSON.stringify(meta));
  return dir;
}

describe("loading a dataset for training", () => {
  it("loads x, dx/dt, xnorm = round(1.5·std(x)) and optional ground truth", () => {
    const dir = writeDataset(4, 50);
    writeNpy(join(dir, "connectivity.npy"), new Float32Array(16).fill(0.5), [4, 4]);
    writeNpy(join(dir, "neuron_types.npy"), BigInt64Array.from([0n, 0n, 1n, 1n]), [4]);
    const d = loadTrainingData(dir);
    expect(d.N).toBe(4);
    expect(d.nFrames).toBe(49);
    expect(d.derivative).toBe("derivative.npy");
    expect(d.y[5]).toBe(-d.x[5]);
    expect(Array.from(d.types!)).toEqual([0, 0, 1, 1]);
    expect(d.nTypes).toBe(2);
    expect(d.W![1]).toBe(0.5);
    expect(d.xnorm).toBe(Math.round(1.5 * d.xStd));
  });

  it("computes forward differences when derivative.npy is absent", () => {
    const d = loadTrainingData(writeDataset(3, 20, { derivative: false }));
    expect(d.derivative).toBe("forward differences");
    expect(d.W).toBeUndefined();
    expect(d.y[2 * 3 + 1]).toBeCloseTo((d.x[3 * 3 + 1] - d.x[2 * 3 + 1]) / 0.01, 3);
  });

  it("names the file, frame and neuron of a NaN or Inf", () => {
    const dir = writeDataset(4, 30);
    const x = new Float32Array(30 * 4);
    x[17 * 4 + 2] = Number.NaN;
    writeNpy(join(dir, "activity.npy"), x, [30, 4]);
    expect(() => loadTrainingData(dir)).toThrowError(/activity\.npy: NaN at frame 17, neuron 2/);
    const dir2 = writeDataset(4, 30);
    const y = new Float32Array(30 * 4);
    y[3 * 4] = Number.POSITIVE_INFINITY;
    writeNpy(join(dir2, "derivative.npy"), y, [30, 4]);
    expect(() => loadTrainingData(dir2)).toThrowError(/derivative\.npy: Infinity at frame 3, neuron 0/);
  });

  it("rejects shape mismatches between the files and dataset.json", () => {
    const dir = writeDataset(4, 30);
    writeNpy(join(dir, "derivative.npy"), new Float32Array(29 * 4), [29, 4]);
    expect(() => loadTrainingData(dir)).toThrowError(/derivative\.npy: shape \(29, 4\) but activity\.npy needs \(30, 4\)/);
    const dir2 = writeDataset(4, 30, { meta: { n_neurons: 5 } });
    expect(() => loadTrainingData(dir2)).toThrowError(/activity\.npy: shape \(30, 4\) but dataset\.json .* needs \(30, 5\)/);
    const dir3 = writeDataset(4, 30);
    writeNpy(join(dir3, "connectivity.npy"), new Float32Array(9), [3, 3]);
    expect(() => loadTrainingData(dir3)).toThrowError(/connectivity\.npy: shape \(3, 3\)/);
  });

  it("reports a missing or malformed dataset.json and a missing activity file", () => {
    const dir = writeDataset(4, 30);
    writeFileSync(join(dir, "dataset.json"), "{ not json");
    expect(() => loadTrainingData(dir)).toThrowError(/dataset\.json: malformed JSON/);
    rmSync(join(dir, "dataset.json"));
    expect(() => loadTrainingData(dir)).toThrowError(/dataset\.json: cannot read dataset metadata \(ENOENT\)/);
    const dir2 = writeDataset(4, 30);
    rmSync(join(dir2, "activity.npy"));
    expect(() => loadTrainingData(dir2)).toThrowError(/activity\.npy: missing/);
  });

  it("refuses neuron types outside 0 … n_neuron_types − 1, naming the file, the index and the value", () => {
    const dir = writeDataset(4, 30, { meta: { n_neuron_types: 4 } });
    writeNpy(join(dir, "neuron_types.npy"), Int32Array.of(0, 1, 7, 3), [4]);
    const message =
      /neuron_types\.npy: neuron type 7 at index 2 is out of range: .*dataset\.json has n_neuron_types = 4 \(types 0 to 3\)/;
    expect(() => loadTrainingData(dir)).toThrowError(message);
    expect(() => loadTruth(dir)).toThrowError(message);
    writeNpy(join(dir, "neuron_types.npy"), Int32Array.of(0, -1, 2, 3), [4]);
    expect(() => loadTruth(dir)).toThrowError(/neuron_types\.npy: negative neuron type -1 at index 1/);
    // int64 values are checked before they are narrowed to int32 (2³² + 1 is not type 1).
    writeNpy(join(dir, "neuron_types.npy"), BigInt64Array.of(0n, 2n ** 32n + 1n, 0n, 0n), [4]);
    expect(() => loadTruth(dir)).toThrowError(/neuron_types\.npy: value 4294967297 at index 1 does not fit in 32 bits/);
    // Without n_neuron_types, the rows of params bound the types.
    const dir2 = writeDataset(4, 30, { meta: { params: [[1, 2, 3]] } });
    writeNpy(join(dir2, "neuron_types.npy"), Int32Array.of(0, 0, 1, 0), [4]);
    expect(() => loadTruth(dir2)).toThrowError(/neuron type 1 at index 2 is out of range: .* has params for 1 types/);
    // In range: nTypes comes from dataset.json even when the last type has no neuron.
    writeNpy(join(dir, "neuron_types.npy"), Int32Array.of(0, 1, 1, 0), [4]);
    expect(loadTruth(dir).nTypes).toBe(4);
  });

  it("names a NaN of connectivity.npy as W[i, j]", () => {
    const dir = writeDataset(3, 30);
    const W = new Float32Array(9);
    W[1 * 3 + 2] = Number.NaN;
    writeNpy(join(dir, "connectivity.npy"), W, [3, 3]);
    expect(() => loadTruth(dir)).toThrowError(/connectivity\.npy: NaN at W\[1, 2\] \(the data must be finite\)/);
  });

  it("refuses a malformed dataset.json with a DatasetError naming it", () => {
    const cases: [unknown, RegExp][] = [
      [null, /dataset\.json: must be a JSON object/],
      [[1, 2], /dataset\.json: must be a JSON object/],
      [{ format: "x" }, /dataset\.json: "format" must be "neural-gnn-dataset", found "x"/],
      [{ n_neurons: "4" }, /"n_neurons" must be an integer from 1 to 32768, found "4"/],
      [{ n_neurons: 1e9 }, /"n_neurons" must be an integer from 1 to 32768, found 1000000000/],
      [{ n_frames: 2.5 }, /"n_frames" must be an integer/],
      [{ delta_t: 0 }, /"delta_t" must be a positive number, found 0/],
      [{ n_neuron_types: 0 }, /"n_neuron_types" must be an integer from 1 to 4, found 0/],
      [{ n_neuron_types: 5 }, /"n_neuron_types" must be an integer from 1 to 4, found 5/],
      [{ params: [[1, "x"]] }, /"params" must be a list of rows of numbers/],
      [{ n_frames: 2 ** 31, n_neurons: 4 }, /2147483648 frames × 4 neurons is more than one float32 array holds/],
    ];
    for (const [meta, message] of cases) {
      const dir = writeDataset(4, 30);
      const base = { format: "neural-gnn-dataset", version: 1, n_neurons: 4, n_frames: 30, delta_t: 0.01 };
      const json = meta !== null && typeof meta === "object" && !Array.isArray(meta) ? { ...base, ...meta } : meta;
      writeFileSync(join(dir, "dataset.json"), JSON.stringify(json));
      expect(() => loadTrainingData(dir), JSON.stringify(meta)).toThrowError(DatasetError);
      expect(() => loadTrainingData(dir), JSON.stringify(meta)).toThrowError(message);
    }
  });
});
