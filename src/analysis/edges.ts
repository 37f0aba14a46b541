/**
 * Edge detection from the learned connectivity (ours, beyond the reference, which has no
 * threshold, precision or recall anywhere; spec upstream-pdeN2-variants §3, §7). An edge j → i is
 * called present when |W*_ij| > τ, and is present in truth when W_ij ≠ 0; the diagonal is left out.
 *
 * W* is the corrected learned matrix of the W R² (W*·ψ̄/g) and W the true one, both [N, N] with
 * row i = receiving neuron. On the N(N − 1) off-diagonal entries:
 *   - precision TP/(TP+FP), recall TP/(TP+FN), F1 2TP/(2TP+FP+FN), specificity TN/(TN+FP) and the
 *     Matthews correlation (TP·TN − FP·FN)/√((TP+FP)(TP+FN)(TN+FP)(TN+FN)), at
 *       (a) a threshold chosen without the truth (edgeMixture: a two-class fit of |W*|);
 *       (b) the threshold of maximal F1, found with the truth ("best, oracle");
 *   - the prevalence P/(P+Z). For the dense Lorentz W (97.5 % non-zero) precision stays near the
 *     prevalence and F1 near 2p/(1+p) = 0.987 whatever τ: there, specificity and MCC say whether
 *     the 2.5 % true zeros are found;
 *   - R² and slope of W* against W on the true non-zeros only, and the RMS of W* on the true zeros
 *     (in units of W, and relative to the RMS of W on its non-zeros).
 * Counts are exact; a ratio with a zero denominator is NaN (null in JSON).
 */
import { olsFit } from "../core/regression.js";

/** One threshold's confusion counts and scores. */
export interface EdgeScore {
  /** |W*_ij| > tau means "edge present". */
  tau: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
  specificity: number;
  mcc: number;
}

/** The two-class fit of |W*| behind the truth-free threshold (edgeMixture). */
export interface EdgeMixture {
  tau: number;
  /** Scale of the half-normal |W*| of absent edges. */
  sigma: number;
  /** Scale of the half-Cauchy |W*| of present edges. */
  gamma: number;
  /** Estimated share of absent edges (the truth's is 1 − prevalence). */
  absentShare: number;
}

export interface EdgeMetrics {
  /** Off-diagonal entries with W_ij ≠ 0 (P) and W_ij = 0 (Z). */
  nEdges: number;
  nZeros: number;
  /** P / (P + Z). */
  prevalence: number;
  /** At the truth-free threshold of `mixture`. */
  truthFree: EdgeScore;
  mixture: EdgeMixture;
  /** At the threshold of maximal F1 (uses the truth). */
  oracle: EdgeScore;
  /** OLS of W* against W over the true non-zeros. */
  r2Nonzero: number;
  slopeNonzero: number;
  /** √(mean W*²) over the true zeros; the same divided by √(mean W²) over the true non-zeros. */
  rmsOnZeros: number;
  rmsOnZerosRelative: number;
}

/** The rule of the truth-free threshold, in words (results file and report). */
export const TRUTH_FREE_RULE =
  "|W*| fitted (EM) as half-normal noise (absent edges) + half-Cauchy truncated at max |W*| (present edges); τ where P(absent | |W*|) = 1/2";

/**
 * |W*_ij| over the off-diagonal entries, split by the truth: `present` where W_ij ≠ 0, `absent`
 * where W_ij = 0, each sorted ascending. A non-finite W* counts as 0 (never above a threshold).
 */
export function splitByTruth(
  learned: ArrayLike<number>,
  truth: ArrayLike<number>,
  N: number,
): { present: Float64Array; absent: Float64Array } {
  if (learned.length !== N * N || truth.length !== N * N) {
    throw new Error(`splitByTruth: expected two [${N}, ${N}] matrices, got ${learned.length} and ${truth.length} values`);
  }
  let P = 0;
  for (let k = 0; k < N * N; k++) if (k % (N + 1) !== 0 && truth[k] !== 0) P++;
  const present = new Float64Array(P);
  const absent = new Float64Array(N * N - N - P);
  let p = 0;
  let z = 0;
  for (let k = 0; k < N * N; k++) {
    if (k % (N + 1) === 0) continue;
    const v = Number.isFinite(learned[k]) ? Math.abs(learned[k]) : 0;
    if (truth[k] !== 0) present[p++] = v;
    else absent[z++] = v;
  }
  return { present: present.sort(), absent: absent.sort() };
}

/** Number of values of ascending `sorted` strictly above t. */
function countAbove(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return sorted.length - lo;
}

/** Scores from confusion counts (NaN where a denominator is 0). */
export function scoreCounts(tau: number, tp: number, fp: number, fn: number, tn: number): EdgeScore {
  const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
  const d = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn);
  return {
    tau,
    tp,
    fp,
    fn,
    tn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    specificity: ratio(tn, tn + fp),
    mcc: d > 0 ? (tp * tn - fp * fn) / Math.sqrt(d) : Number.NaN,
  };
}

/** Scores of "|W*| > tau" from the sorted |W*| at true edges and at true zeros (splitByTruth). */
export function edgeScore(present: Float64Array, absent: Float64Array, tau: number): EdgeScore {
  const tp = countAbove(present, tau);
  const fp = countAbove(absent, tau);
  return scoreCounts(tau, tp, fp, present.length - tp, absent.length - fp);
}

/**
 * The threshold of maximal F1 over every distinct cut (ties: the largest τ). τ is the largest |W*|
 * left out, or 0 when every entry is called present (possible only when all |W*| > 0).
 */
export function bestEdgeScore(present: Float64Array, absent: Float64Array): EdgeScore {
  const P = present.length;
  const Z = absent.length;
  let i = P - 1;
  let j = Z - 1;
  let tp = 0;
  let fp = 0;
  let best = { f1: -1, tau: Number.POSITIVE_INFINITY, tp: 0, fp: 0 };
  // Walk down the values: at each distinct value v, everything above v is called present.
  for (;;) {
    const v = Math.max(i >= 0 ? present[i] : Number.NEGATIVE_INFINITY, j >= 0 ? absent[j] : Number.NEGATIVE_INFINITY);
    const f1 = P + fp > 0 ? (2 * tp) / (P + tp + fp) : 0;
    if (v === Number.NEGATIVE_INFINITY) {
      const smallest = Math.min(P ? present[0] : Number.POSITIVE_INFINITY, Z ? absent[0] : Number.POSITIVE_INFINITY);
      if (smallest > 0 && f1 > best.f1) best = { f1, tau: 0, tp, fp };
      break;
    }
    if (f1 > best.f1) best = { f1, tau: v, tp, fp };
    while (i >= 0 && present[i] === v) {
      tp++;
      i--;
    }
    while (j >= 0 && absent[j] === v) {
      fp++;
      j--;
    }
  }
  return scoreCounts(best.tau, best.tp, best.fp, P - best.tp, Z - best.fp);
}

const halfNormal = (x: number, s: number) => (Math.sqrt(2 / Math.PI) / s) * Math.exp(-0.5 * (x / s) ** 2);
/** Half-Cauchy density of scale g truncated to [0, cap]. */
const halfCauchy = (x: number, g: number, cap: number) =>
  x > cap ? 0 : 2 / (Math.PI * g * (1 + (x / g) ** 2)) / ((2 / Math.PI) * Math.atan(cap / g));

/**
 * The scale of a half-Cauchy truncated to [0, cap] fitted to values x with weights w: the root in
 * γ of the score Σ w (2x²/(γ(γ² + x²)) − 1/γ) + (Σ w)·cap/((γ² + cap²)·atan(cap/γ)), by bisection
 * in log γ around `start`.
 */
function truncatedCauchyScale(x: Float64Array, w: Float64Array, cap: number, start: number): number {
  let W = 0;
  for (const v of w) W += v;
  const score = (g: number) => {
    let s = 0;
    for (let k = 0; k < x.length; k++) s += w[k] * ((2 * x[k] * x[k]) / (g * (g * g + x[k] * x[k])) - 1 / g);
    return s + (W * cap) / ((g * g + cap * cap) * Math.atan(cap / g));
  };
  // The score is positive for small γ, negative for large γ.
  let a = Math.log(start) - 3;
  let b = Math.log(start) + 3;
  while (score(Math.exp(a)) < 0 && a > Math.log(start) - 60) a -= 3;
  while (score(Math.exp(b)) > 0 && b < Math.log(start) + 60) b += 3;
  for (let k = 0; k < 40; k++) {
    const m = (a + b) / 2;
    if (score(Math.exp(m)) > 0) a = m;
    else b = m;
  }
  return Math.exp((a + b) / 2);
}

/**
 * The truth-free threshold: a two-class mixture of the values v = |W*_ij| > 0,
 *   p(v) = π·HalfNormal(v; σ) + (1 − π)·HalfCauchy(v; γ) truncated to [0, max v],
 * absent edges being learned as noise around 0 and present ones following the Lorentz (Cauchy) law
 * of the simulated weights, whose largest values the simulator zeroes (hence the truncation;
 * without it a wide "noise" class takes over the missing tail). Fitted by EM on a histogram of
 * log10 v (`bins` bins over at most 12 decades) from four starts (π = 0.02, 0.05, 0.5, 0.95, σ
 * from the matching quantile), keeping the fit of highest likelihood. τ solves
 * π·HN(τ; σ) = (1 − π)·HC(τ; γ), where the posterior of "absent" falls through 1/2 (the ratio
 * decreases in v: one such τ). τ = 0, every non-zero entry present, when that posterior is below
 * 1/2 everywhere, as for a dense W whose 2.5 % zeros hide among its small weights.
 * Otsu's and Kittler–Illingworth's thresholds of log10 v fail on these data (the log of |noise|
 * has a long left tail; the classes are 2.5 %/97.5 % or 95 %/5 %). Zeros and non-finite values are
 * left out of the fit (they are below any τ ≥ 0).
 */
export function edgeMixture(values: ArrayLike<number>, bins = 1024, maxIterations = 1000): EdgeMixture {
  const none: EdgeMixture = { tau: 0, sigma: Number.NaN, gamma: Number.NaN, absentShare: Number.NaN };
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!(v > 0 && Number.isFinite(v))) continue;
    const l = Math.log10(v);
    if (l < lo) lo = l;
    if (l > hi) hi = l;
    n++;
  }
  if (!(hi > lo)) return none;
  lo = Math.max(lo, hi - 12);
  const width = (hi - lo) / bins;
  const h = new Float64Array(bins);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v > 0 && Number.isFinite(v)) h[Math.max(0, Math.min(bins - 1, Math.floor((Math.log10(v) - lo) / width)))]++;
  }
  // The non-empty bins: count and value (geometric centre).
  const used = [...h.keys()].filter((b) => h[b] > 0);
  const c = Float64Array.from(used, (b) => h[b]);
  const x = Float64Array.from(used, (b) => 10 ** (lo + (b + 0.5) * width));
  const w1 = new Float64Array(c.length);
  const cap = 10 ** hi;
  const quantile = (p: number) => {
    let acc = 0;
    for (let k = 0; k < c.length; k++) if ((acc += c[k]) >= p * n) return x[k];
    return x[x.length - 1];
  };

  let best = { ll: Number.NEGATIVE_INFINITY, pi: 0, sigma: Number.NaN, gamma: Number.NaN };
  // Starts: the share of absent edges, and σ from the matching quantile of a half-normal.
  for (const [pi0, p, z] of [
    [0.02, 0.01, 0.0125],
    [0.05, 0.02, 0.0251],
    [0.5, 0.25, 0.3186],
    [0.95, 0.5, 0.6745],
  ] as const) {
    let pi: number = pi0;
    let sigma = quantile(p) / z;
    let gamma = quantile(0.99);
    let ll = Number.NEGATIVE_INFINITY;
    for (let it = 0; it < maxIterations; it++) {
      let next = 0;
      let n0 = 0;
      let s0 = 0;
      let n1 = 0;
      for (let k = 0; k < c.length; k++) {
        const p0 = pi * halfNormal(x[k], sigma);
        const p1 = (1 - pi) * halfCauchy(x[k], gamma, cap);
        const total = p0 + p1;
        const r = total > 0 ? p0 / total : 0;
        w1[k] = c[k] * (1 - r);
        next += c[k] * Math.log(Math.max(total, Number.MIN_VALUE));
        const x2 = x[k] * x[k];
        n0 += c[k] * r;
        s0 += c[k] * r * x2;
        n1 += c[k] * (1 - r);
      }
      const done = Math.abs(next - ll) <= 1e-10 * Math.abs(next);
      ll = next;
      if (n0 <= 1e-9 * n || n1 <= 1e-9 * n) {
        pi = n0 <= 1e-9 * n ? 0 : 1;
        break;
      }
      pi = n0 / n;
      sigma = Math.sqrt(s0 / n0);
      gamma = truncatedCauchyScale(x, w1, cap, gamma);
      if (done) break;
    }
    if (ll > best.ll) best = { ll, pi, sigma, gamma };
  }

  const { pi, sigma, gamma } = best;
  const absentOverPresent = (v: number) => (pi * halfNormal(v, sigma)) / ((1 - pi) * halfCauchy(v, gamma, cap));
  let tau = 0;
  if (pi >= 1 || absentOverPresent(cap) > 1) {
    tau = cap; // every entry absent
  } else if (pi > 0 && absentOverPresent(0) > 1) {
    let a = 0;
    let b = cap;
    for (let k = 0; k < 100 && b - a > 1e-12 * b; k++) {
      const m = (a + b) / 2;
      if (absentOverPresent(m) > 1) a = m;
      else b = m;
    }
    tau = (a + b) / 2;
  }
  return { tau, sigma, gamma, absentShare: pi };
}

/** Every edge metric of corrected learned W* against the true W ([N, N], diagonal left out). */
export function edgeMetrics(learned: ArrayLike<number>, truth: ArrayLike<number>, N: number): EdgeMetrics {
  const { present, absent } = splitByTruth(learned, truth, N);
  const all = new Float64Array(present.length + absent.length);
  all.set(present);
  all.set(absent, present.length);
  const mixture = edgeMixture(all);
  const fit = olsFit(truth, learned, (k) => k % (N + 1) !== 0 && truth[k] !== 0);
  let sz = 0;
  for (const v of absent) sz += v * v;
  let st = 0;
  for (let k = 0; k < N * N; k++) if (k % (N + 1) !== 0) st += truth[k] * truth[k];
  const rmsOnZeros = absent.length ? Math.sqrt(sz / absent.length) : Number.NaN;
  const rmsTrue = present.length ? Math.sqrt(st / present.length) : Number.NaN;
  return {
    nEdges: present.length,
    nZeros: absent.length,
    prevalence: present.length + absent.length > 0 ? present.length / (present.length + absent.length) : Number.NaN,
    truthFree: edgeScore(present, absent, mixture.tau),
    mixture,
    oracle: bestEdgeScore(present, absent),
    r2Nonzero: fit.r2,
    slopeNonzero: fit.slope,
    rmsOnZeros,
    rmsOnZerosRelative: rmsOnZeros / rmsTrue,
  };
}
