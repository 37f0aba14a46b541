/**
 * The psi* normalisation of the evaluation (spec fig2 §5.2, models-n4-n5 §2.5): psi* is learned up
 * to a factor per sender, so each curve f_n(r) = psi*([r, a_n]) on r = linspace(0.8·xnorm, xnorm,
 * 1000) is reduced to one value upper_n, and the corrected weights are W*_ij·upper_j/g.
 * plotting.norm_method picks the reduction, over the sub-range [norm_x_start·xnorm,
 * norm_x_stop·xnorm] of r (the whole grid when unset):
 *   max      max_r |f_n(r)|
 *   median   median_r f_n(r)   (mean of the two middle values, as numpy)
 *   mean     mean_r f_n(r)
 *   plateau  mean of f_n where |Δf/Δr| < 0.01·max |Δf/Δr| (at least 2 points, else the mean)
 * With fewer than 2 grid points in the sub-range, upper_n = max_r |f_n(r)| over the whole grid
 * whatever the method (the reference's fallback; Supp Fig 13's range 25–30·xnorm is empty).
 */
import { PSI_NORM_METHODS } from "../config/load.js";
import { median } from "../core/stats.js";

/** plotting.norm_method, norm_x_start, norm_x_stop (the range in units of xnorm). */
export interface PsiNorm {
  method: string;
  xStart: number | null;
  xStop: number | null;
}

/** Figure 2's: the median over the whole grid. */
export const MEDIAN_NORM: PsiNorm = { method: "median", xStart: null, xStop: null };

/** Relative derivative threshold of the plateau method. */
const PLATEAU_THRESHOLD = 0.01;

export interface Normalisation {
  /** upper_n per curve. */
  upper: Float64Array;
  /** The sub-range [lo, hi] of r used, in units of x. */
  range: [number, number];
  /** True when the sub-range held fewer than 2 grid points (max |f| over the whole grid). */
  fallback: boolean;
}

/** upper_n of each row of F [nCurves, r.length] (see the file comment); `xnorm` scales the range. */
export function normalisation(
  F: ArrayLike<number>,
  r: ArrayLike<number>,
  nCurves: number,
  norm: PsiNorm,
  xnorm: number,
): Normalisation {
  const nR = r.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < nR; k++) {
    lo = Math.min(lo, r[k]);
    hi = Math.max(hi, r[k]);
  }
  if (norm.xStart !== null) lo = norm.xStart * xnorm;
  if (norm.xStop !== null) hi = norm.xStop * xnorm;
  const inRange: number[] = [];
  for (let k = 0; k < nR; k++) if (r[k] >= lo && r[k] <= hi) inRange.push(k);
  const fallback = inRange.length < 2;
  const upper = new Float64Array(nCurves);
  for (let n = 0; n < nCurves; n++) {
    const row = (k: number) => F[n * nR + k];
    if (fallback) {
      upper[n] = maxAbs(Array.from({ length: nR }, (_, k) => row(k)));
      continue;
    }
    const f = inRange.map(row);
    switch (norm.method) {
      case "max":
        upper[n] = maxAbs(f);
        break;
      case "median":
        upper[n] = median(f);
        break;
      case "mean":
        upper[n] = mean(f);
        break;
      case "plateau":
        upper[n] = plateau(f, r[inRange[1]] - r[inRange[0]]);
        break;
      default:
        throw new Error(
          `plotting.norm_method: ${JSON.stringify(norm.method)} is not implemented yet (${PSI_NORM_METHODS.join(", ")})`,
        );
    }
  }
  return { upper, range: [lo, hi], fallback };
}

function maxAbs(f: readonly number[]): number {
  return f.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

function mean(f: readonly number[]): number {
  return f.reduce((s, v) => s + v, 0) / f.length;
}

/** Mean of f where the finite difference is flat (< 1 % of its largest), else the mean of f (step dr). */
function plateau(f: readonly number[], dr: number): number {
  if (dr === 0) return mean(f);
  const d = f.slice(1).map((v, k) => Math.abs((v - f[k]) / dr));
  const dMax = Math.max(...d);
  if (dMax < 1e-10) return mean(f);
  const flat = d.flatMap((v, k) => (v < PLATEAU_THRESHOLD * dMax ? [f[k]] : []));
  return flat.length < 2 ? mean(f) : mean(flat);
}
