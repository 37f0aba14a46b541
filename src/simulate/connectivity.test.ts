import { describe, expect, it } from "vitest";
import { applyDaleLaw, applyFillingFactor, countNonZero, drawConnectivity, lorentzExponent } from "./connectivity.js";

describe("connectivity", () => {
  it("draws Lorentz W as the reference: zeroed beyond ±25, scaled by N^-0.7, zero diagonal", () => {
    const N = 400;
    const W = drawConnectivity("Lorentz", N, 42);
    const scale = 1 / N ** 0.7;
    let zeros = 0;
    let max = 0;
    for (let i = 0; i < N; i++) {
      expect(W[i * N + i]).toBe(0);
      for (let j = 0; j < N; j++) {
        if (i !== j && W[i * N + j] === 0) zeros++;
        max = Math.max(max, Math.abs(W[i * N + j]));
      }
    }
    expect(max).toBeLessThanOrEqual(25 * scale * (1 + 1e-6));
    // P(|s| > 25) = 1 − (2/π)·atan(25) ≈ 2.55 %
    expect(zeros / (N * N - N)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(25), 2);
    expect(drawConnectivity("Lorentz", N, 42)).toEqual(W);
  });

  it("uses the reference's size-dependent exponents", () => {
    expect([1000, 2000, 4000, 8000, 10000].map(lorentzExponent)).toEqual([0.7, 0.675, 0.67, 0.66, 0.5]);
  });

  it("draws Gaussian 𝒩(0,1)/√N and uniform U(−0.5,0.5)", () => {
    const N = 300;
    const G = drawConnectivity("Gaussian", N, 1);
    let ss = 0;
    for (const v of G) ss += v * v;
    expect(Math.sqrt(ss / (N * N - N))).toBeCloseTo(1 / Math.sqrt(N), 3);
    const U = drawConnectivity("uniform", N, 1);
    expect(Math.max(...U)).toBeLessThan(0.5);
    expect(Math.min(...U)).toBeGreaterThanOrEqual(-0.5);
  });

  it("applies Dale's law by presynaptic column", () => {
    const N = 10;
    const W = drawConnectivity("Gaussian", N, 2);
    applyDaleLaw(W, N, 0.3);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const v = W[i * N + j];
        if (j < 3) expect(v).toBeGreaterThanOrEqual(0);
        else expect(v).toBeLessThanOrEqual(0);
      }
    }
  });

  it("keeps each weight with the filling probability", () => {
    const N = 500;
    const W = drawConnectivity("Gaussian", N, 3);
    const before = countNonZero(W);
    const kept = applyFillingFactor(W, 0.25, 3);
    expect(kept / before).toBeCloseTo(0.25, 2);
  });
});
