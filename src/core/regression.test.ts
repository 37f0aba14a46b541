import { describe, expect, it } from "vitest";
import { connectivityFit, olsFit } from "./regression.js";
import { Rng } from "./rng.js";
import { linspace, median, roundHalfEven } from "./stats.js";

describe("OLS fit and R²", () => {
  it("recovers an exact line with R² = 1", () => {
    const x = [1, 2, 3, 4, 5];
    const f = olsFit(
      x,
      x.map((v) => 2 * v - 1),
    );
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(-1, 12);
    expect(f.r2).toBeCloseTo(1, 12);
  });

  it("R² equals the squared Pearson correlation and 1 − SS_res/SS_tot on noisy data", () => {
    const r = new Rng(3, 0);
    const x = Array.from({ length: 500 }, () => r.normal());
    const y = x.map((v) => 0.5 * v + 0.3 * r.normal());
    const f = olsFit(x, y);
    const mx = x.reduce((a, b) => a + b) / x.length;
    const my = y.reduce((a, b) => a + b) / y.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    let ssRes = 0;
    x.forEach((v, k) => {
      sxy += (v - mx) * (y[k] - my);
      sxx += (v - mx) ** 2;
      syy += (y[k] - my) ** 2;
    });
    x.forEach((v, k) => {
      ssRes += (y[k] - (f.slope * v + f.intercept)) ** 2;
    });
    expect(f.r2).toBeCloseTo(sxy ** 2 / (sxx * syy), 12);
    expect(f.r2).toBeCloseTo(1 - ssRes / syy, 12);
    expect(f.slope).toBeGreaterThan(0.4);
    expect(f.slope).toBeLessThan(0.6);
  });

  it("compares connectivity matrices on the off-diagonal entries only", () => {
    const N = 5;
    const truth = Float32Array.from({ length: N * N }, (_, k) => (k % (N + 1) === 0 ? 0 : Math.sin(k)));
    const learned = truth.map((v, k) => (k % (N + 1) === 0 ? 100 : 3 * v));
    const f = connectivityFit(learned, truth, N);
    expect(f.n).toBe(N * (N - 1));
    expect(f.r2).toBeCloseTo(1, 6);
    expect(f.slope).toBeCloseTo(3, 5);
  });

  it("gives olsFit's numbers over the off-diagonal entries exactly, and refuses matrices of the wrong size", () => {
    const r = new Rng(7, 0);
    const N = 37;
    const truth = Float32Array.from({ length: N * N }, () => 0.03 * r.normal());
    const learned = Float32Array.from(truth, (v) => 20 * v + 0.1 * r.normal());
    const fast = connectivityFit(learned, truth, N);
    const slow = olsFit(truth, learned, (k) => k % (N + 1) !== 0);
    expect(fast).toEqual(slow);
    expect(fast.r2).toBeGreaterThan(0.5);
    expect(() => connectivityFit(learned.subarray(1), truth, N)).toThrow(/expected 1369 values, got 1368 learned/);
  });
});

describe("statistics helpers", () => {
  it("rounds half to even like torch.round", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 11.2, 11.5, 12.5].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 11, 12, 12]);
  });
  it("median and linspace match numpy", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Array.from(linspace(-4, 4, 5))).toEqual([-4, -2, 0, 2, 4]);
  });
});
