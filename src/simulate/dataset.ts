/**
 * The dataset folder (what `generate` writes and `train` reads):
 *   dataset.json       metadata (format "neural-gnn-dataset", version 1, n_neurons, n_frames, delta_t, …)
 *   activity.npy       float32 [T, N], x_i at frame t
 *   derivative.npy     float32 [T, N], dx_i/dt at frame t (optional)
 *   neuron_types.npy   int32 [N] (optional ground truth)
 *   connectivity.npy   float32 [N, N], W[i, j] from j to i (optional ground truth)
 *   external_input.npy float32 [T, n_input], Ω_i at frame t of the input neurons i < n_input
 *                      (present when dataset.json has "external_input"; the other neurons' Ω is 1)
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { LIMITS } from "../config/schema.js";

export const DATASET_FORMAT = "neural-gnn-dataset";
export const DATASET_VERSION = 1;

export const DATASET_FILES = {
  meta: "dataset.json",
  activity: "activity.npy",
  derivative: "derivative.npy",
  types: "neuron_types.npy",
  connectivity: "connectivity.npy",
  externalInput: "external_input.npy",
} as const;

/**
 * dataset.json's "external_input" (Figure 3): Ω_i(t) multiplies neuron i's message; neurons
 * 0 … n_input_neurons − 1 read theirs from external_input.npy [T, n_input_neurons], the others
 * have Ω = 1.
 */
export interface ExternalInputMeta {
  type: "visual";
  mode: "multiplicative";
  n_input_neurons: number;
  /** Where Ω came from, e.g. "visual multiplicative: video_bisons_32.tif (257 pages of 32×32)". */
  source: string;
}

export interface ActivityStats {
  x_mean: number;
  x_std: number;
  x_absmax: number;
  dxdt_mean: number;
  dxdt_std: number;
  dxdt_absmax: number;
  /** std of x per neuron type. */
  x_std_by_type: number[];
}

export interface DatasetMeta {
  format: typeof DATASET_FORMAT;
  version: number;
  n_neurons: number;
  /** Number of frames stored (rows of activity.npy). */
  n_frames: number;
  delta_t: number;
  model: string;
  params: number[][];
  n_neuron_types: number;
  seed: number;
  start_frame?: number;
  noise_model_level?: number;
  connectivity?: {
    source: string;
    filling_factor: number;
    Dale_law: boolean;
    non_zeros: number;
  };
  external_input?: ExternalInputMeta;
  stats?: ActivityStats;
  generator?: { name: string; version: string; seconds: number; threads: number };
}

/** A dataset folder that cannot be used: the message names the file and what is wrong with it. */
export class DatasetError extends Error {
  override name = "DatasetError";
}

/** dataset.json is a few kilobytes; anything much larger is not one. */
const MAX_META_BYTES = 16 << 20;

/** Read and check `dataset.json` in `dir`. */
export function readDatasetMeta(dir: string): DatasetMeta {
  const path = join(dir, DATASET_FILES.meta);
  let text: string;
  try {
    // stat first: reading a FIFO would block, a device would not end.
    const st = statSync(path);
    if (!st.isFile()) throw new DatasetError(`${path}: not a regular file`);
    if (st.size > MAX_META_BYTES) throw new DatasetError(`${path}: ${st.size} bytes is too large for dataset metadata`);
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(`${path}: cannot read dataset metadata (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DatasetError(`${path}: malformed JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new DatasetError(`${path}: must be a JSON object`);
  const meta = parsed as DatasetMeta;
  const m = parsed as Record<string, unknown>;
  const bad = (key: string, what: string) =>
    new DatasetError(`${path}: "${key}" must be ${what}, found ${JSON.stringify(m[key]) ?? "nothing"}`);
  if (meta.format !== DATASET_FORMAT) throw bad("format", `"${DATASET_FORMAT}"`);
  const integer = (key: string, lo: number, hi: number) => {
    const v = m[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) throw bad(key, `an integer from ${lo} to ${hi}`);
  };
  integer("n_neurons", 1, LIMITS.maxNeurons);
  integer("n_frames", 1, LIMITS.maxActivityValues);
  if (typeof meta.delta_t !== "number" || !Number.isFinite(meta.delta_t) || !(meta.delta_t > 0))
    throw bad("delta_t", "a positive number");
  if (meta.n_frames * meta.n_neurons > LIMITS.maxActivityValues) {
    throw new DatasetError(
      `${path}: ${meta.n_frames} frames × ${meta.n_neurons} neurons is more than one float32 array holds (${LIMITS.maxActivityValues} values)`,
    );
  }
  if (m.n_neuron_types !== undefined) integer("n_neuron_types", 1, meta.n_neurons);
  if (
    m.params !== undefined &&
    !(
      Array.isArray(m.params) &&
      m.params.every((row) => Array.isArray(row) && row.every((v) => typeof v === "number" && Number.isFinite(v)))
    )
  )
    throw bad("params", "a list of rows of numbers");
  if (m.external_input !== undefined) checkExternalInput(m.external_input, meta.n_neurons, bad);
  return meta;
}

/** dataset.json's "external_input": {type "visual", mode "multiplicative", n_input_neurons 1 … N, source}. */
function checkExternalInput(e: unknown, N: number, bad: (key: string, what: string) => DatasetError): void {
  const what = `{"type": "visual", "mode": "multiplicative", "n_input_neurons": 1 to ${N}, "source": text}`;
  if (e === null || typeof e !== "object" || Array.isArray(e)) throw bad("external_input", what);
  const x = e as Record<string, unknown>;
  const n = x.n_input_neurons;
  const ok =
    x.type === "visual" &&
    x.mode === "multiplicative" &&
    typeof n === "number" &&
    Number.isInteger(n) &&
    n >= 1 &&
    n <= N &&
    typeof x.source === "string";
  if (!ok) throw bad("external_input", what);
}

/** Running mean/std/max-abs of x and dx/dt (float64 accumulators), per type for x. */
export class StatsAccumulator {
  private n = 0;
  private sx = 0;
  private sxx = 0;
  private sy = 0;
  private syy = 0;
  private mx = 0;
  private my = 0;
  private readonly tn: Float64Array;
  private readonly ts: Float64Array;
  private readonly tss: Float64Array;

  constructor(
    private readonly types: Int32Array,
    nTypes: number,
  ) {
    this.tn = new Float64Array(nTypes);
    this.ts = new Float64Array(nTypes);
    this.tss = new Float64Array(nTypes);
  }

  /** Add `frames` frames of x and dx/dt ([frames, N]). Returns false if any value was NaN or ±Inf. */
  add(x: Float32Array, y: Float32Array, frames: number): boolean {
    let finite = true;
    const N = this.types.length;
    for (let f = 0; f < frames; f++) {
      const o = f * N;
      let sx = 0;
      let sxx = 0;
      let sy = 0;
      let syy = 0;
      for (let i = 0; i < N; i++) {
        const xv = x[o + i];
        const yv = y[o + i];
        sx += xv;
        sxx += xv * xv;
        sy += yv;
        syy += yv * yv;
        const ax = Math.abs(xv);
        if (ax > this.mx) this.mx = ax;
        const ay = Math.abs(yv);
        if (ay > this.my) this.my = ay;
        const t = this.types[i];
        this.ts[t] += xv;
        this.tss[t] += xv * xv;
        this.tn[t] += 1;
      }
      if (!Number.isFinite(sxx + syy)) finite = false;
      this.sx += sx;
      this.sxx += sxx;
      this.sy += sy;
      this.syy += syy;
    }
    this.n += frames * N;
    return finite;
  }

  result(): ActivityStats {
    const std = (s: number, ss: number, n: number) => (n > 0 ? Math.sqrt(Math.max(0, ss / n - (s / n) ** 2)) : 0);
    return {
      x_mean: this.sx / this.n,
      x_std: std(this.sx, this.sxx, this.n),
      x_absmax: this.mx,
      dxdt_mean: this.sy / this.n,
      dxdt_std: std(this.sy, this.syy, this.n),
      dxdt_absmax: this.my,
      x_std_by_type: Array.from(this.tn, (n, t) => std(this.ts[t], this.tss[t], n)),
    };
  }
}

/** First non-finite value in a [frames, N] chunk, as {frame, neuron}, or undefined. */
export function firstNonFinite(a: Float32Array, N: number): { frame: number; neuron: number } | undefined {
  for (let k = 0; k < a.length; k++) {
    const v = a[k];
    if (v - v !== 0) return { frame: Math.floor(k / N), neuron: k % N };
  }
  return undefined;
}
