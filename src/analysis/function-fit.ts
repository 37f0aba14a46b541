/**
 * Function recovery by neuron type: RMSE of learned curves against each type's true function, and
 * (PDE_N4) the width of the transfer function each type's learned psi* has.
 */
import { median } from "../core/stats.js";

/**
 * RMSE per type of the curves Y [N, nR] on grid r against truth[type of n]; NaN for a type
 * without neurons.
 */
export function rmseByType(
  Y: ArrayLike<number>,
  r: ArrayLike<number>,
  types: ArrayLike<number>,
  nTypes: number,
  truth: readonly ((x: number) => number)[],
): number[] {
  const nR = r.length;
  const sum = new Float64Array(nTypes);
  const count = new Float64Array(nTypes);
  for (let n = 0; n < types.length; n++) {
    const t = types[n];
    const f = truth[t];
    for (let k = 0; k < nR; k++) {
      sum[t] += (Y[n * nR + k] - f(r[k])) ** 2;
      count[t]++;
    }
  }
  return Array.from(sum, (v, t) => (count[t] > 0 ? Math.sqrt(v / count[t]) : Number.NaN));
}

/** Widths w searched by tanhWidth: log-spaced on [0.05, 200]. */
const WIDTHS = Array.from({ length: 2001 }, (_, k) => 0.05 * 4000 ** (k / 2000));

/**
 * The least-squares fit y ≈ k·tanh(r/w) of samples (r, y): w from a log-spaced grid (relative
 * step 0.4 %), k = Σ y·t / Σ t² for each w. A shape measure, free of psi*'s scale.
 */
export function tanhWidth(r: ArrayLike<number>, y: ArrayLike<number>): { w: number; k: number } {
  let best = { w: Number.NaN, k: Number.NaN, err: Number.POSITIVE_INFINITY };
  for (const w of WIDTHS) {
    let ty = 0;
    let tt = 0;
    let yy = 0;
    for (let s = 0; s < r.length; s++) {
      const t = Math.tanh(r[s] / w);
      ty += t * y[s];
      tt += t * t;
      yy += y[s] * y[s];
    }
    if (tt === 0) continue;
    const k = ty / tt;
    const err = yy - k * ty;
    if (err < best.err) best = { w, k, err };
  }
  return { w: best.w, k: best.k };
}

/** tanhWidth of the median curve (point by point) of each type's curves Y [N, nR] on grid r; NaN for an empty type. */
export function tanhWidthByType(Y: ArrayLike<number>, r: ArrayLike<number>, types: ArrayLike<number>, nTypes: number): number[] {
  const nR = r.length;
  return Array.from({ length: nTypes }, (_, t) => {
    const members: number[] = [];
    for (let n = 0; n < types.length; n++) if (types[n] === t) members.push(n);
    if (members.length === 0) return Number.NaN;
    const y = Array.from({ length: nR }, (_, k) => median(members.map((n) => Y[n * nR + k])));
    return tanhWidth(r, y).w;
  });
}
