/**
 * A dataset folder loaded for training (format in src/simulate/dataset.ts), checked for shape
 * agreement between its files and for NaN/Inf. Frames: x [R, N] is stored for R frames;
 * y = dx/dt comes from derivative.npy or, when that file is absent, from forward differences
 * y[t] = (x[t+1] − x[t]) / Δt. Either way the trainer uses the first R − 1 frames (the reference's
 * n_frames; its data has n_frames + 1 rows).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { LIMITS } from "../config/schema.js";
import { meanStd, roundHalfEven } from "../core/stats.js";
import { type NpyArray, readNpy, readNpyHeader } from "../io/npy.js";
import { DATASET_FILES, DatasetError, type DatasetMeta, firstNonFinite, readDatasetMeta } from "../simulate/dataset.js";

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
  /** External input Ω [R, nInput] of the input neurons 0 … nInput − 1 (external_input.npy), when the dataset has one. */
  omega?: Float32Array;
  nInput?: number;
}

export { DatasetError };

/** Where entry k of a [rows, N] array is, for messages: "frame 17, neuron 2" or "W[3, 5]". */
type Where = (row: number, col: number) => string;
const atFrame: Where = (t, i) => `frame ${t}, neuron ${i}`;
const atWeight: Where = (i, j) => `W[${i}, ${j}]`;

function checkFinite(a: Float32Array, N: number, path: string, where: Where = atFrame): void {
  const bad = firstNonFinite(a, N);
  if (bad) {
    const v = a[bad.frame * N + bad.neuron];
    throw new DatasetError(`${path}: ${v} at ${where(bad.frame, bad.neuron)} (the data must be finite)`);
  }
}

function expectShape(a: { shape: readonly number[] }, shape: number[], path: string, what: string): void {
  if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
    throw new DatasetError(`${path}: shape (${a.shape.join(", ")}) but ${what} needs (${shape.join(", ")})`);
  }
}

/** Read an .npy file after checking from its header alone that it has `shape` (so a wrong file is never read whole). */
function readShaped(path: string, shape: number[], what: string): NpyArray {
  expectShape(readNpyHeader(path), shape, path, what);
  return readNpy(path);
}

/** As float32 (float64 converted). */
function asF32(a: NpyArray, path: string): Float32Array {
  if (a.data instanceof Float32Array) return a.data;
  if (a.data instanceof Float64Array) return Float32Array.from(a.data);
  throw new DatasetError(`${path}: expected a float32 or float64 array, found dtype ${a.dtype}`);
}

/** Integer array (int32, int64 or uint8 .npy) as Int32Array. */
function toInt32(a: NpyArray, path: string): Int32Array {
  if (a.data instanceof Int32Array) return a.data;
  if (a.data instanceof BigInt64Array) {
    // Checked before narrowing: 2³² + 1 must not become type 1.
    const i = a.data.findIndex((v) => v < -(2n ** 31n) || v >= 2n ** 31n);
    if (i >= 0) throw new DatasetError(`${path}: value ${a.data[i]} at index ${i} does not fit in 32 bits`);
    return Int32Array.from(a.data, (v) => Number(v));
  }
  if (a.data instanceof Uint8Array && a.dtype === "|u1") return Int32Array.from(a.data);
  throw new DatasetError(`${path}: expected an integer array, found dtype ${a.dtype}`);
}

/** Load and check the dataset in `dir`. */
export function loadTrainingData(dir: string): TrainingData {
  const meta = readDatasetMeta(dir);
  const N = meta.n_neurons;
  const R = meta.n_frames;
  const metaPath = join(dir, DATASET_FILES.meta);
  if (R < LIMITS.minStoredFrames)
    throw new DatasetError(`${metaPath}: n_frames = ${R}; training needs at least ${LIMITS.minStoredFrames} frames`);
  const path = (f: string) => join(dir, f);

  const xp = path(DATASET_FILES.activity);
  if (!existsSync(xp)) throw new DatasetError(`${xp}: missing (the dataset's activity x [n_frames, n_neurons])`);
  const x = asF32(readShaped(xp, [R, N], `dataset.json (n_frames ${R}, n_neurons ${N})`), xp);
  checkFinite(x, N, xp);

  const deltaT = meta.delta_t;
  const yp = path(DATASET_FILES.derivative);
  let y: Float32Array;
  let derivative: TrainingData["derivative"];
  if (existsSync(yp)) {
    y = asF32(readShaped(yp, [R, N], "activity.npy"), yp);
    checkFinite(y, N, yp);
    derivative = "derivative.npy";
  } else {
    y = new Float32Array(R * N);
    const inv = 1 / deltaT;
    for (let k = 0; k < (R - 1) * N; k++) y[k] = (x[k + N] - x[k]) * inv;
    derivative = "forward differences";
  }

  const { W, types, nTypes } = loadTruth(dir, meta);

  const nInput = meta.external_input?.n_input_neurons;
  const omega = loadExternalInput(dir, meta);

  const xStd = meanStd(x).std;
  const xnorm = roundHalfEven(1.5 * xStd);
  return { dir, meta, N, nFrames: R - 1, deltaT, x, y, derivative, W, types, nTypes, xStd, xnorm, omega, nInput };
}

/**
 * The dataset's external input Ω [R, n_input] (external_input.npy, R = stored frames) when
 * dataset.json has "external_input", checked for shape and finiteness; else undefined.
 */
export function loadExternalInput(dir: string, meta: DatasetMeta = readDatasetMeta(dir)): Float32Array | undefined {
  const nInput = meta.external_input?.n_input_neurons;
  if (nInput === undefined) return undefined;
  const R = meta.n_frames;
  const op = join(dir, DATASET_FILES.externalInput);
  if (!existsSync(op))
    throw new DatasetError(`${op}: missing (dataset.json has "external_input": Ω [n_frames, n_input_neurons])`);
  const omega = asF32(readShaped(op, [R, nInput], `dataset.json (n_frames ${R}, external_input.n_input_neurons ${nInput})`), op);
  checkFinite(omega, nInput, op);
  return omega;
}

export interface DatasetTruth {
  meta: DatasetMeta;
  W?: Float32Array;
  types?: Int32Array;
  nTypes?: number;
}

/**
 * The optional ground truth of a dataset (connectivity.npy, neuron_types.npy), checked against
 * dataset.json: W is [N, N] and finite; every type is in 0 … n_neuron_types − 1 (or, without
 * n_neuron_types, below the number of rows of params), as the plots index per-type colours and
 * parameters with it.
 */
export function loadTruth(dir: string, meta: DatasetMeta = readDatasetMeta(dir)): DatasetTruth {
  const N = meta.n_neurons;
  const path = (f: string) => join(dir, f);
  let W: Float32Array | undefined;
  const wp = path(DATASET_FILES.connectivity);
  if (existsSync(wp)) {
    W = asF32(readShaped(wp, [N, N], `n_neurons = ${N}`), wp);
    checkFinite(W, N, wp, atWeight);
  }
  let types: Int32Array | undefined;
  let nTypes: number | undefined;
  const tp = path(DATASET_FILES.types);
  if (existsSync(tp)) {
    types = toInt32(readShaped(tp, [N], `n_neurons = ${N}`), tp);
    const metaPath = path(DATASET_FILES.meta);
    const limit =
      meta.n_neuron_types !== undefined
        ? { n: meta.n_neuron_types, why: `${metaPath} has n_neuron_types = ${meta.n_neuron_types}` }
        : meta.params?.length
          ? { n: meta.params.length, why: `${metaPath} has params for ${meta.params.length} types` }
          : undefined;
    let max = 0;
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      if (t < 0) throw new DatasetError(`${tp}: negative neuron type ${t} at index ${i}`);
      if (limit && t >= limit.n)
        throw new DatasetError(`${tp}: neuron type ${t} at index ${i} is out of range: ${limit.why} (types 0 to ${limit.n - 1})`);
      if (t > max) max = t;
    }
    nTypes = limit?.n ?? max + 1;
  }

  return { meta, W, types, nTypes };
}
