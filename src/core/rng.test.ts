import { describe, expect, it } from "vitest";
import { Rng } from "./rng.js";

describe("Rng", () => {
  it("is deterministic for a seed and stream, and streams differ", () => {
    const a = new Rng(42, 1);
    const b = new Rng(42, 1);
    const c = new Rng(42, 2);
    const sa = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(sa);
  });

  it("draws uniforms in [0,1) and normals with mean 0, variance 1", () => {
    const r = new Rng(7);
    let s = 0;
    let ss = 0;
    let u = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      ss += x * x;
      const v = r.uniform();
      expect(v >= 0 && v < 1).toBe(true);
      u += v;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(u / n - 0.5)).toBeLessThan(0.005);
  });

  it("draws standard Cauchy samples (median 0, quartiles ±1)", () => {
    const r = new Rng(3);
    const xs = Float64Array.from({ length: 100_001 }, () => r.cauchy()).sort();
    const q = (p: number) => xs[Math.round(p * (xs.length - 1))];
    expect(Math.abs(q(0.5))).toBeLessThan(0.02);
    expect(q(0.25)).toBeCloseTo(-1, 1);
    expect(q(0.75)).toBeCloseTo(1, 1);
  });

  it("chooses k distinct sorted indices", () => {
    const idx = new Rng(1).choose(1000, 100);
    expect(idx.length).toBe(100);
    expect(new Set(idx).size).toBe(100);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });
});
