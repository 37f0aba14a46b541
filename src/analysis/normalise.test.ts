import { describe, expect, it } from "vitest";
import { linspace } from "../core/stats.js";
import { MEDIAN_NORM, normalisation } from "./normalise.js";

describe("psi* normalisation (plotting.norm_method)", () => {
  // Two curves on r ∈ [8, 10] (xnorm 10): f_0 = r/10, f_1 = −2·tanh(r/4).
  const r = linspace(8, 10, 1000);
  const F = Float64Array.from({ length: 2000 }, (_, k) => (k < 1000 ? r[k] / 10 : -2 * Math.tanh(r[k - 1000] / 4)));

  it("median (Figure 2's default) over the whole grid, per curve", () => {
    const n = normalisation(F, r, 2, MEDIAN_NORM, 10);
    expect(n.fallback).toBe(false);
    expect(n.range).toEqual([8, 10]);
    expect(n.upper[0]).toBeCloseTo(0.9, 6);
    expect(n.upper[1]).toBeCloseTo(-2 * Math.tanh(9 / 4), 4);
  });

  it("max |f|, mean, and a sub-range in units of xnorm", () => {
    const max = normalisation(F, r, 2, { method: "max", xStart: null, xStop: null }, 10);
    expect(max.upper[0]).toBeCloseTo(1, 6);
    expect(max.upper[1]).toBeCloseTo(2 * Math.tanh(10 / 4), 6);
    const mean = normalisation(F, r, 2, { method: "mean", xStart: 0.8, xStop: 0.85 }, 10);
    expect(mean.range).toEqual([8, 8.5]);
    expect(mean.upper[0]).toBeCloseTo(0.825, 3);
  });

  it("falls back to max |f| over the whole grid when the range holds fewer than 2 points (Supp Fig 13: 25–30·xnorm)", () => {
    for (const method of ["max", "median", "plateau"]) {
      const n = normalisation(F, r, 2, { method, xStart: 25, xStop: 30 }, 10);
      expect(n.fallback).toBe(true);
      expect(n.range).toEqual([250, 300]);
      expect(n.upper[0]).toBeCloseTo(1, 6);
      expect(n.upper[1]).toBeCloseTo(2 * Math.tanh(10 / 4), 6);
    }
  });

  it("plateau: the mean where the curve is flat (|Δf/Δr| < 1 % of its largest)", () => {
    const rs = linspace(0, 20, 201);
    // Rises linearly to 3 at r = 10, then flat.
    const f = Float64Array.from(rs, (x) => Math.min(x, 10) * 0.3);
    const n = normalisation(f, rs, 1, { method: "plateau", xStart: null, xStop: null }, 10);
    expect(n.upper[0]).toBeCloseTo(3, 6);
    expect(() => normalisation(f, rs, 1, { method: "mode", xStart: null, xStop: null }, 10)).toThrowError(
      /plotting\.norm_method: "mode" is not implemented yet/,
    );
  });
});
