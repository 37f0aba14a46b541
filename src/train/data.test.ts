import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { writeNpy } from "../io/npy.js";
import { loadTrainingData } from "./data.js";

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
});
