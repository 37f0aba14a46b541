/**
 * A dataset folder loaded for training (format in src/simulate/dataset.ts), checked for shape
 * agreement between its files and for NaN/Inf. Frames: x [R, N] is stored for R frames;
 * y = dx/dt comes from derivative.npy or, when that file is absent, from forward differences
 * y[t] = (x[t+1] − x[t]) / Δt. Either way the trainer uses the first R − 1 frames (the reference's
 * n_frames; its data has n_frames + 1 rows).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { meanStd, roundHalfEven } from "../core/stats.js";
import { type NpyArray, readNpy, readNpyF32 } from "../io/npy.js";
import { DATASET_FILES, type DatasetMeta, firstNonFinite, readDatasetMeta } from "../simulate/dataset.js";

export interface TrainingData {
  dir: string;
  meta: DatasetMeta;
  N: number;
  /** Usable frames (stored rows − 1): frames 0 … nFrames − 1 have both x and y. */
  nFrames: number;
  deltaT: number;
  /** x [R, N], R = nFrames + 1 stored rows. */
  x: Float32Array;
  /** dx/dt [R, N] (the last row is unused when computed by forward differences). */
  y: Float32Array;
  derivative: "derivative.npy" | "forward differences";
  /** True connectivity W [N, N] (row i receives from column j), when the dataset has it. */
  W?: Float32Array;
  /** True neuron types [N], when the dataset has them. */
  types?: Int32Array;
  nTypes?: number;
  /** std of all stored x, and xnorm = round(1.5 · std(x)) (half to even, as torch.round). */
  xStd: number;
  xnorm: number;
}

export class DatasetError extends Error {
  override name = "DatasetError";
}

function checkFinite(a: Float32Array, N: number, path: string): void {
  const bad = firstNonFinite(a, N);
  if (bad) {
    const v = a[bad.frame * N + bad.neuron];
    throw new DatasetError(`${path}: ${v} at frame ${bad.frame}, neuron ${bad.neuron} (the data must be finite)`);
  }
}

function expectShape(a: NpyArray, shape: number[], path: string, what: string): void {
  if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
    throw new DatasetError(`${path}: shape (${a.shape.join(", ")}) but ${what} needs (${shape.join(", ")})`);
  }
}

/** Integer array (int32, int64 or uint8 .npy) as Int32Array. */
function toInt32(a: NpyArray, path: string): Int32Array {
  if (a.data instanceof Int32Array) return a.data;
  if (a.data instanceof BigInt64Array) return Int32Array.from(a.data, (v) => Number(v));
  if (a.data instanceof Uint8Array && a.dtype === "|u1") return Int32Array.from(a.data);
  throw new DatasetError(`${path}: expected an integer array, found dtype ${a.dtype}`);
}

/** Load and check the dataset in `dir`. */
export function loadTrainingData(dir: string): TrainingData {
  const meta = readDatasetMeta(dir);
  const N = meta.n_neurons;
  const R = meta.n_frames;
  const metaPath = join(dir, DATASET_FILES.meta);
  if (!Number.isInteger(N) || !Number.isInteger(R))
    throw new DatasetError(`${metaPath}: n_neurons and n_frames must be integers`);
  if (R < 8) throw new DatasetError(`${metaPath}: n_frames = ${R}; training needs at least 8 frames`);
  const path = (f: string) => join(dir, f);

  const xp = path(DATASET_FILES.activity);
  if (!existsSync(xp)) throw new DatasetError(`${xp}: missing (the dataset's activity x [n_frames, n_neurons])`);
  const xa = readNpyF32(xp);
  expectShape(xa, [R, N], xp, `dataset.json (n_frames ${R}, n_neurons ${N})`);
  checkFinite(xa.data, N, xp);
  const x = xa.data;

  const deltaT = meta.delta_t;
  const yp = path(DATASET_FILES.derivative);
  let y: Float32Array;
  let derivative: TrainingData["derivative"];
  if (existsSync(yp)) {
    const ya = readNpyF32(yp);
    expectShape(ya, [R, N], yp, "activity.npy");
    checkFinite(ya.data, N, yp);
    y = ya.data;
    derivative = "derivative.npy";
  } else {
    y = new Float32Array(R * N);
    const inv = 1 / deltaT;
    for (let k = 0; k < (R - 1) * N; k++) y[k] = (x[k + N] - x[k]) * inv;
    derivative = "forward differences";
  }

  const { W, types, nTypes } = loadGroundTruth(dir, meta);

  const xStd = meanStd(x).std;
  return { dir, meta, N, nFrames: R - 1, deltaT, x, y, derivative, W, types, nTypes, xStd, xnorm: roundHalfEven(1.5 * xStd) };
}

export interface GroundTruth {
  meta: DatasetMeta;
  W?: Float32Array;
  types?: Int32Array;
  nTypes?: number;
}

/** The optional ground truth of a dataset (connectivity.npy, neuron_types.npy), checked against n_neurons. */
export function loadGroundTruth(dir: string, meta: DatasetMeta = readDatasetMeta(dir)): GroundTruth {
  const N = meta.n_neurons;
  const path = (f: string) => join(dir, f);
  let W: Float32Array | undefined;
  const wp = path(DATASET_FILES.connectivity);
  if (existsSync(wp)) {
    const wa = readNpyF32(wp);
    expectShape(wa, [N, N], wp, `n_neurons = ${N}`);
    checkFinite(wa.data, N, wp);
    W = wa.data;
  }
  let types: Int32Array | undefined;
  let nTypes: number | undefined;
  const tp = path(DATASET_FILES.types);
  if (existsSync(tp)) {
    const ta = readNpy(tp);
    expectShape(ta, [N], tp, `n_neurons = ${N}`);
    types = toInt32(ta, tp);
    let max = 0;
    for (const t of types) {
      if (t < 0) throw new DatasetError(`${tp}: negative neuron type ${t}`);
      if (t > max) max = t;
    }
    nTypes = Math.max(meta.n_neuron_types ?? 0, max + 1);
  }

  return { meta, W, types, nTypes };
}
