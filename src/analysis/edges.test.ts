import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { bestEdgeScore, edgeMetrics, edgeMixture, edgeScore, splitByTruth } from "./edges.js";

/**
 * A Lorentz W as the simulator draws it ([N, N], diagonal 0): Cauchy weights, |s| > 25 set to 0
 * (≈ 2.5 % zeros), scaled by N^−0.7; then each entry kept with probability `fill`.
 */
function lorentzW(N: number, fill: number, seed: number): Float32Array {
  const r = new Rng(seed, 0);
  const W = new Float32Array(N * N);
  for (let k = 0; k < N * N; k++) {
    const s = r.cauchy();
    const keep = r.uniform() < fill;
    if (k % (N + 1) !== 0 && Math.abs(s) <= 25 && keep) W[k] = s / N ** 0.7;
  }
  return W;
}

/** learned = slope·W + σ·std(W on its non-zeros)·𝒩(0, 1), diagonal 0. */
function noisy(W: Float32Array, N: number, rel: number, seed: number, slope = 0.9): Float32Array {
  let s = 0;
  let n = 0;
  for (const w of W) {
    if (w === 0) continue;
    s += w * w;
    n++;
  }
  const sd = Math.sqrt(s / n);
  const r = new Rng(seed, 1);
  return W.map((w, k) => (k % (N + 1) === 0 ? 0 : slope * w + rel * sd * r.normal()));
}

describe("edge detection", () => {
  it("scores a hand-made example exactly, and the oracle threshold maximises F1", () => {
    const present = Float64Array.of(0.1, 0.5, 0.9);
    const absent = Float64Array.of(0.05, 0.2);
    const s = edgeScore(present, absent, 0.15);
    expect([s.tp, s.fp, s.fn, s.tn]).toEqual([2, 1, 1, 1]);
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    expect(s.specificity).toBeCloseTo(0.5, 12);
    expect(s.mcc).toBeCloseTo((2 * 1 - 1 * 1) / Math.sqrt(3 * 3 * 2 * 2), 12);
    // Cuts: 0.9 → F1 0, 0.5 → 1/2, 0.2 → 4/5, 0.1 → 2/3, 0.05 → 6/7, 0 (all) → 3/4.
    const best = bestEdgeScore(present, absent);
    expect(best.tau).toBe(0.05);
    expect(best.f1).toBeCloseTo(6 / 7, 12);
    // Without true zeros: specificity and MCC are undefined (NaN), not 0 or 1.
    const dense = edgeScore(present, new Float64Array(0), 0);
    expect(dense.precision).toBe(1);
    expect(dense.specificity).toBeNaN();
    expect(dense.mcc).toBeNaN();
  });

  it("splits the off-diagonal |W*| by the truth and ignores the diagonal", () => {
    const W = Float32Array.of(5, 1, 0, 0, 5, 2, 3, 0, 5);
    const L = Float32Array.of(9, -0.5, 0.1, Number.NaN, 9, 2, 3, -0.2, 9);
    const { present, absent } = splitByTruth(L, W, 3);
    expect([...present]).toEqual([0.5, 2, 3]);
    expect([...absent].map((v) => Math.round(v * 10) / 10)).toEqual([0, 0.1, 0.2]); // NaN counts as 0
    expect(() => splitByTruth(L, W, 2)).toThrowError(/expected two \[2, 2\] matrices/);
  });

  it("finds known precision and recall: sparse truth, small noise, planted misses and false edges", () => {
    const N = 200;
    const r = new Rng(3, 0);
    const W = new Float32Array(N * N);
    for (let k = 0; k < N * N; k++)
      if (k % (N + 1) !== 0 && r.uniform() < 0.1) W[k] = (r.uniform() < 0.5 ? -1 : 1) * (0.5 + 0.5 * r.uniform());
    // Noise below 0.01 everywhere; 5 true edges learned as 0, 7 absent ones learned at ±0.8.
    const L = W.map((w, k) => (k % (N + 1) === 0 ? 0 : w + 0.02 * (r.uniform() - 0.5)));
    const edges = [...W.keys()].filter((k) => W[k] !== 0);
    const zeros = [...W.keys()].filter((k) => W[k] === 0 && k % (N + 1) !== 0);
    for (const k of edges.slice(0, 5)) L[k] = 0.001;
    for (const [i, k] of zeros.slice(100, 107).entries()) L[k] = i % 2 ? 0.8 : -0.8;
    const m = edgeMetrics(L, W, N);
    const P = edges.length;
    expect(m.nEdges).toBe(P);
    expect(m.nZeros).toBe(N * N - N - P);
    expect(m.truthFree.tau).toBeGreaterThan(0.01);
    expect(m.truthFree.tau).toBeLessThan(0.5);
    expect([m.truthFree.tp, m.truthFree.fp, m.truthFree.fn]).toEqual([P - 5, 7, 5]);
    expect(m.truthFree.precision).toBeCloseTo((P - 5) / (P - 5 + 7), 12);
    expect(m.truthFree.recall).toBeCloseTo((P - 5) / P, 12);
    expect(m.oracle.f1).toBeCloseTo(m.truthFree.f1, 12);
  });

  it("truth-free threshold on a sparse (5 %) Lorentz W: close to the oracle, zero share estimated", () => {
    const N = 300;
    const W = lorentzW(N, 0.05, 1);
    for (const rel of [0.003, 0.03]) {
      const m = edgeMetrics(noisy(W, N, rel, 2), W, N);
      expect(m.prevalence).toBeGreaterThan(0.04);
      expect(m.prevalence).toBeLessThan(0.06);
      expect(m.truthFree.f1).toBeGreaterThan(m.oracle.f1 - 0.01);
      expect(m.truthFree.precision).toBeGreaterThan(0.9); // not the 5 % of "everything present"
      expect(m.mixture.absentShare).toBeCloseTo(1 - m.prevalence, 2);
    }
  });

  it("truth-free threshold on a dense (97.5 %) Lorentz W: finds the zeros when they stand out, else calls all present", () => {
    const N = 300;
    const W = lorentzW(N, 1, 4);
    const clean = edgeMetrics(noisy(W, N, 0.001, 5), W, N);
    expect(clean.prevalence).toBeGreaterThan(0.96);
    expect(clean.truthFree.f1).toBeGreaterThan(clean.oracle.f1 - 0.01);
    expect(clean.truthFree.specificity).toBeGreaterThan(0.8); // the 2.5 % zeros are found
    // At 3 % noise the zeros hide among small weights (the oracle's own specificity is ≈ 0):
    // τ = 0, precision = prevalence; specificity and MCC say so.
    const blurred = edgeMetrics(noisy(W, N, 0.03, 5), W, N);
    expect(blurred.oracle.specificity).toBeLessThan(0.1);
    expect(blurred.truthFree.f1).toBeGreaterThan(blurred.oracle.f1 - 0.01);
    expect(blurred.truthFree.precision).toBeCloseTo(blurred.prevalence, 2);
    expect(blurred.truthFree.specificity ?? 0).toBeLessThan(0.1);
  });

  it("the thresholds follow the data: scale-equivariant, and they move with the noise", () => {
    const N = 200;
    const W = lorentzW(N, 0.1, 7);
    const L = noisy(W, N, 0.01, 8);
    const m = edgeMetrics(L, W, N);
    const m10 = edgeMetrics(
      L.map((v) => 10 * v),
      W,
      N,
    );
    expect(m.truthFree.tau).toBeGreaterThan(0);
    expect(m10.truthFree.tau / m.truthFree.tau).toBeCloseTo(10, 3);
    expect(m10.oracle.tau / m.oracle.tau).toBeCloseTo(10, 3);
    expect(m10.truthFree.f1).toBe(m.truthFree.f1);
    const louder = edgeMetrics(noisy(W, N, 0.04, 8), W, N);
    expect(louder.truthFree.tau / m.truthFree.tau).toBeGreaterThan(2.5);
    expect(louder.mixture.sigma / m.mixture.sigma).toBeCloseTo(4, 0);
  });

  it("R² and slope on the true non-zeros, RMS on the true zeros", () => {
    const N = 50;
    const W = lorentzW(N, 0.2, 9);
    const L = W.map((w, k) => (k % (N + 1) === 0 ? 0 : w !== 0 ? 2 * w : 0.01 * (k % 2 ? 1 : -1)));
    const m = edgeMetrics(L, W, N);
    expect(m.slopeNonzero).toBeCloseTo(2, 5);
    expect(m.r2Nonzero).toBeCloseTo(1, 8);
    expect(m.rmsOnZeros).toBeCloseTo(0.01, 6);
    let s = 0;
    for (const w of W) s += w * w;
    expect(m.rmsOnZerosRelative).toBeCloseTo(0.01 / Math.sqrt(s / m.nEdges), 6);
  });

  it("the mixture of degenerate inputs: no positive values, one value, a perfect copy of the truth", () => {
    expect(edgeMixture([]).tau).toBe(0);
    expect(edgeMixture([0, 0, Number.NaN]).sigma).toBeNaN();
    expect(edgeMixture([0.3, 0.3, 0.3]).tau).toBe(0);
    // A perfect copy of the truth: the zeros are exactly 0 and every non-zero is present.
    const N = 100;
    const W = lorentzW(N, 0.3, 11);
    const m = edgeMetrics(W, W, N);
    expect([m.truthFree.precision, m.truthFree.recall, m.oracle.f1]).toEqual([1, 1, 1]);
  });
});
