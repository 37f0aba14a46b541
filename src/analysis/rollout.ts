/**
 * Rollout test (spec 6): from the same initial state, integrate the learned model and the true
 * system side by side with explicit Euler (no noise) for `steps` steps, and compare the states.
 *   learned: x ← x + dt·(phi*([x_i, a_i]) + Σ_j W*_ij psi*(x_j))
 *   true:    x ← x + dt·f(x), the signal model's true system (PDE_N2: −c_i x_i + s_i tanh(x_i) +
 *            g_i Σ_j W_ij tanh(x_j)), float64
 * Generalisation (spec 6.2): a new connectivity kept with probability ff, types re-assigned in
 * contiguous blocks, each neuron given the learned embedding of a random original neuron of its new
 * type, the learned model given the new W times the raw W slope.
 */
import { olsFit } from "../core/regression.js";
import { Rng, STREAMS } from "../core/rng.js";
import { meanStd, median } from "../core/stats.js";
import type { Backend } from "../kernels/backend.js";
import { Workspace, forward } from "../model/gnn.js";
import type { ParamSet } from "../model/params.js";
import type { TrueSystem } from "../signal/signal-model.js";
import { type ConnectivityType, applyFillingFactor, drawConnectivity } from "../simulate/connectivity.js";

/** States [(steps + 1), N] of the true system from x0 (row t = state after t Euler steps). */
export function rolloutTrue(system: TrueSystem, x0: ArrayLike<number>, steps: number, dt: number): Float32Array {
  const N = x0.length;
  const out = new Float32Array((steps + 1) * N);
  const x = Float64Array.from(x0);
  const dxdt = new Float64Array(N);
  out.set(x, 0);
  for (let t = 1; t <= steps; t++) {
    system.step(x, dxdt, dt);
    out.set(x, t * N);
  }
  return out;
}

/** States [(steps + 1), N] of the learned model from x0; stops early (NaN rows) if the state is no longer finite. */
export function rolloutLearned(backend: Backend, p: ParamSet, x0: ArrayLike<number>, steps: number, dt: number): Float32Array {
  const N = p.shape.N;
  const out = new Float32Array((steps + 1) * N).fill(Number.NaN);
  const ws = new Workspace(p, 1, backend);
  const X = backend.alloc(N);
  const pred = backend.alloc(N);
  X.set(x0);
  out.set(X, 0);
  for (let t = 1; t <= steps; t++) {
    forward(backend, p, ws, X, 1, pred);
    let finite = true;
    for (let i = 0; i < N; i++) {
      X[i] += dt * pred[i];
      if (!Number.isFinite(X[i])) finite = false;
    }
    if (!finite) break;
    out.set(X, t * N);
  }
  return out;
}

export interface RolloutFit {
  r2: number;
  slope: number;
  intercept: number;
  status: "ok" | "collapsed" | "explosion" | "too few points";
}

/**
 * True (x) against learned (y) states over all neurons, as the reference scores a rollout frame:
 * OLS on the points within 3 std of the median in both x and y (more than 10 needed), R² of that
 * line on all points; "collapsed" if std(y) < 0.1·std(x) and "explosion" if max|y| > 1e10 (or
 * not finite), both scored R² = 0.
 */
export function rolloutFit(x: ArrayLike<number>, y: ArrayLike<number>): RolloutFit {
  let maxAbs = 0;
  for (let k = 0; k < y.length; k++) maxAbs = Math.max(maxAbs, Math.abs(y[k]));
  if (!(maxAbs <= 1e10)) return { r2: 0, slope: Number.NaN, intercept: Number.NaN, status: "explosion" };
  const sx = meanStd(x).std;
  const { mean: ybar, std: sy } = meanStd(y);
  if (sy < 0.1 * sx) return { r2: 0, slope: Number.NaN, intercept: Number.NaN, status: "collapsed" };
  const mx = median(x);
  const my = median(y);
  const keep = (k: number) => Math.abs(x[k] - mx) < 3 * sx && Math.abs(y[k] - my) < 3 * sy;
  const fit = olsFit(x, y, keep);
  if (fit.n <= 10) return { r2: 0, slope: Number.NaN, intercept: Number.NaN, status: "too few points" };
  let res = 0;
  let tot = 0;
  for (let k = 0; k < y.length; k++) {
    res += (y[k] - (fit.slope * x[k] + fit.intercept)) ** 2;
    tot += (y[k] - ybar) ** 2;
  }
  return { r2: tot > 0 ? 1 - res / tot : 0, slope: fit.slope, intercept: fit.intercept, status: "ok" };
}

/** rolloutFit at every `every`-th step (0 excluded) of two [(steps + 1), N] rollouts. */
export function fitsOverTime(
  truth: Float32Array,
  learned: Float32Array,
  N: number,
  every: number,
): { step: number; fit: RolloutFit }[] {
  const steps = truth.length / N - 1;
  const out: { step: number; fit: RolloutFit }[] = [];
  for (let t = every; t <= steps; t += every) {
    out.push({ step: t, fit: rolloutFit(truth.subarray(t * N, (t + 1) * N), learned.subarray(t * N, (t + 1) * N)) });
  }
  return out;
}

export interface NewParams {
  /** Probability that a weight of the new connectivity is kept, in (0, 1]. */
  ff: number;
  /** Percent of neurons per type, in contiguous blocks (one value per type). */
  percentages: number[];
}

/** Parse "ff,p0,p1,…" (one percentage per type), with clear errors. */
export function parseNewParams(text: string, nTypes: number): NewParams {
  const parts = text.split(",").map((s) => s.trim());
  const values = parts.map(Number);
  const bad = parts.findIndex((s, k) => s === "" || !Number.isFinite(values[k]));
  if (bad >= 0) throw new Error(`--new-params "${text}": "${parts[bad]}" is not a number`);
  if (values.length !== 1 + nTypes) {
    throw new Error(
      `--new-params "${text}": expected ff and ${nTypes} percentages (one per neuron type), got ${values.length} values`,
    );
  }
  const [ff, ...percentages] = values;
  if (!(ff > 0 && ff <= 1)) throw new Error(`--new-params "${text}": ff = ${ff} must be in (0, 1]`);
  if (percentages.some((p) => p < 0)) throw new Error(`--new-params "${text}": percentages must not be negative`);
  const sum = percentages.reduce((a, b) => a + b, 0);
  if (sum > 100 + 1e-9) throw new Error(`--new-params "${text}": the percentages add up to ${sum}, more than 100`);
  return { ff, percentages };
}

/** Types in contiguous blocks: the first ⌊p0·N/100⌋ neurons type 0, the next ⌊p1·N/100⌋ type 1, …; the rest keep theirs. */
export function reassignTypes(types: Int32Array, percentages: readonly number[]): Int32Array {
  const N = types.length;
  const out = Int32Array.from(types);
  let i = 0;
  percentages.forEach((p, t) => {
    const n = Math.floor((p * N) / 100);
    for (let k = 0; k < n && i < N; k++) out[i++] = t;
  });
  return out;
}

/** Each neuron gets the embedding of a random original neuron of its new type (a: [N, d]). */
export function copyEmbeddings(
  a: ArrayLike<number>,
  d: number,
  oldTypes: Int32Array,
  newTypes: Int32Array,
  seed: number,
): Float32Array {
  const rng = new Rng(seed, STREAMS.newEmbeddings);
  const byType = new Map<number, number[]>();
  oldTypes.forEach((t, i) => {
    const m = byType.get(t);
    if (m) m.push(i);
    else byType.set(t, [i]);
  });
  const out = new Float32Array(newTypes.length * d);
  newTypes.forEach((t, n) => {
    const pool = byType.get(t);
    if (!pool) throw new Error(`no original neuron of type ${t} to copy an embedding from`);
    const src = pool[rng.int(pool.length)];
    for (let e = 0; e < d; e++) out[n * d + e] = a[src * d + e];
  });
  return out;
}

/** A fresh connectivity of `type` (own random streams, so not the true W), each weight kept with probability ff. */
export function newConnectivity(
  type: ConnectivityType,
  N: number,
  seed: number,
  ff: number,
): { W: Float32Array; nonZeros: number } {
  const W = drawConnectivity(type, N, seed, STREAMS.newConnectivity);
  const nonZeros = applyFillingFactor(W, ff, seed, STREAMS.newFillingMask);
  return { W, nonZeros };
}
