/**
 * PDE_N5's neuron-neuron transfer functions (Supp Fig 14h, the reference's MLP1_neuron_neuron,
 * spec models-n4-n5 §3.5), seeded:
 *   - r = linspace(−20, 20, 1000);
 *   - per receiving type k, a correction c_k = 1 / mean psi*([r, a_n0, a_n1]) over `pairs` random
 *     pairs (n0 of type k, n1 of type 0) and the last 100 grid points (r ∈ [16, 20]);
 *   - for every sending type n, `pairs` random (receiver of type k, sender of type n) curves
 *     psi*([r, a_i, a_j])·c_k, to be drawn over the truth tanh((r − h_n)/w_k) − r·ln(w_n)/50.
 * Numbers of ours, from the curves on the panel's range (default [−5, 5]): the width w of a
 * k·tanh(r/w) fit to the median curve of each receiving type's pairs with type-0 senders (θ_0 = 0:
 * the truth is tanh(r/w_k), so the fit measures the receiver's width), and the RMSE of each
 * (receiver type, sender type) median curve against its truth.
 */
import { olsFit } from "../core/regression.js";
import { Rng, STREAMS } from "../core/rng.js";
import { linspace, median } from "../core/stats.js";
import type { Backend } from "../kernels/backend.js";
import type { ParamSet } from "../model/params.js";
import { tanhWidth } from "./function-fit.js";

/** Grid of the curves and the index range of the correction (the reference's). */
const GRID = { lo: -20, hi: 20, n: 1000, corrFrom: 900 } as const;

export interface PsiPairsOptions {
  /** Random pairs per (receiver type, sender type) (default 250, the reference's). */
  pairs?: number;
  /** Seed of the pair draws (default 0). */
  seed?: number;
  /** Range of the fits and RMSE, and of the panel (default [−5, 5], the reference's xlim). */
  range?: readonly [number, number];
}

export interface PsiPairs {
  /** The grid r [nR] restricted to `range`. */
  r: Float32Array;
  /** c_k per receiving type. */
  correction: number[];
  /** curves[k][n]: [pairs, nR] corrected psi* of receiver type k, sender type n on `r`. */
  curves: Float32Array[][];
  /** Width of the k·tanh(r/w) fit to each receiving type's median type-0-sender curve. */
  width: number[];
  /** rmse[k][n] of the median curve of (k, n) against `truth(k, n)`. */
  rmse: number[][];
  range: [number, number];
  pairs: number;
  seed: number;
}

/** Members of each type [nTypes][…]. */
function membersOf(types: ArrayLike<number>, nTypes: number): number[][] {
  const m = Array.from({ length: nTypes }, () => [] as number[]);
  for (let n = 0; n < types.length; n++) m[types[n]].push(n);
  return m;
}

/** psi*([r_k, a_i, a_j]) for each (i, j) of `pairs` and each grid point: [pairs.length, rs.length]. */
function pairCurves(backend: Backend, p: ParamSet, rs: Float32Array, pairs: [number, number][]): Float32Array {
  const d = p.shape.embeddingDim;
  const w = 1 + 2 * d;
  const nR = rs.length;
  const perChunk = Math.max(1, Math.floor((1 << 16) / nR));
  const S = perChunk * nR;
  const X = backend.alloc(S * w);
  const y = backend.alloc(S);
  const acts = p.shape.psi.sizes.slice(1, -1).map((h) => backend.alloc(S * h));
  const out = new Float32Array(pairs.length * nR);
  for (let q0 = 0; q0 < pairs.length; q0 += perChunk) {
    const count = Math.min(perChunk, pairs.length - q0);
    let o = 0;
    for (let q = q0; q < q0 + count; q++) {
      const [i, j] = pairs[q];
      for (let k = 0; k < nR; k++) {
        X[o] = rs[k];
        for (let e = 0; e < d; e++) {
          X[o + 1 + e] = p.a[i * d + e];
          X[o + 1 + d + e] = p.a[j * d + e];
        }
        o += w;
      }
    }
    backend.mlpForward(p.shape.psi, p.psi, X, count * nR, acts, y);
    out.set(y.subarray(0, count * nR), q0 * nR);
  }
  return out;
}

/**
 * The pair curves, corrections, widths and RMSEs (see the file comment). `truth(k, n)` is the true
 * message function of receiving type k and sending type n.
 */
export function psiPairs(
  backend: Backend,
  p: ParamSet,
  types: ArrayLike<number>,
  nTypes: number,
  truth: (k: number, n: number) => (x: number) => number,
  o: PsiPairsOptions = {},
): PsiPairs {
  if (!p.shape.psiPairs) throw new Error("psiPairs: psi* does not take [x_j, a_i, a_j] (PDE_N5)");
  const nPairs = o.pairs ?? 250;
  const seed = o.seed ?? 0;
  const range: [number, number] = [o.range?.[0] ?? -5, o.range?.[1] ?? 5];
  const rng = new Rng(seed, STREAMS.plotSample);
  const members = membersOf(types, nTypes);
  const draw = (k: number, n: number): [number, number][] =>
    members[k].length && members[n].length
      ? Array.from({ length: nPairs }, () => [members[k][rng.int(members[k].length)], members[n][rng.int(members[n].length)]])
      : [];
  const grid = linspace(GRID.lo, GRID.hi, GRID.n);
  const inRange: number[] = [];
  grid.forEach((x, k) => {
    if (x >= range[0] && x <= range[1]) inRange.push(k);
  });
  const r = Float32Array.from(inRange, (k) => grid[k]);
  const nR = r.length;

  const correction: number[] = [];
  const curves: Float32Array[][] = [];
  const width: number[] = [];
  const rmse: number[][] = [];
  for (let k = 0; k < nTypes; k++) {
    const ref = pairCurves(backend, p, grid, draw(k, 0));
    let sum = 0;
    let count = 0;
    for (let q = 0; q < ref.length / GRID.n; q++) {
      for (let g = GRID.corrFrom; g < GRID.n; g++) {
        sum += ref[q * GRID.n + g];
        count++;
      }
    }
    const c = count > 0 && sum !== 0 ? count / sum : Number.NaN;
    correction.push(c);
    curves.push([]);
    rmse.push([]);
    for (let n = 0; n < nTypes; n++) {
      const full = pairCurves(backend, p, grid, draw(k, n));
      const nq = full.length / GRID.n;
      const Y = new Float32Array(nq * nR);
      for (let q = 0; q < nq; q++) for (let s = 0; s < nR; s++) Y[q * nR + s] = c * full[q * GRID.n + inRange[s]];
      curves[k].push(Y);
      const med = Array.from({ length: nR }, (_, s) =>
        nq ? median(Array.from({ length: nq }, (_, q) => Y[q * nR + s])) : Number.NaN,
      );
      const f = truth(k, n);
      rmse[k].push(Math.sqrt(med.reduce((acc, v, s) => acc + (v - f(r[s])) ** 2, 0) / nR));
      if (n === 0) width.push(nq ? tanhWidth(r, med).w : Number.NaN);
    }
  }
  return { r, correction, curves, width, rmse, range, pairs: nPairs, seed };
}

/**
 * R² of learned against true W (off-diagonal, raw: the per-pair scale of psi* is a free gauge)
 * within each block of rows of receiving type k and columns of sending type n: [k][n].
 */
export function wR2ByTypePair(
  W: ArrayLike<number>,
  trueW: ArrayLike<number>,
  types: ArrayLike<number>,
  nTypes: number,
): number[][] {
  const N = types.length;
  return Array.from({ length: nTypes }, (_, k) =>
    Array.from(
      { length: nTypes },
      (_, n) => olsFit(trueW, W, (e) => e % (N + 1) !== 0 && types[Math.floor(e / N)] === k && types[e % N] === n).r2,
    ),
  );
}
