import { describe, expect, it } from "vitest";
import { hasNumpy, python } from "../../test/helpers.js";
import { Rng } from "../core/rng.js";
import { eigenvalues, spectralRadius } from "./eigen.js";

function sorted(re: Float64Array, im: Float64Array): [number, number][] {
  return Array.from(re, (r, i): [number, number] => [r, im[i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

describe("eigenvalues", () => {
  it("finds real and complex eigenvalues of small matrices", () => {
    // Rotation-scaling block ⊕ 3: eigenvalues 2 ± 1i and 3.
    const e = eigenvalues([2, -1, 0, 1, 2, 0, 0, 0, 3], 3);
    const s = sorted(e.re, e.im);
    expect(s[0][0]).toBeCloseTo(2, 12);
    expect(s[0][1]).toBeCloseTo(-1, 12);
    expect(s[1][1]).toBeCloseTo(1, 12);
    expect(s[2]).toEqual([expect.closeTo(3, 12), 0]);
    expect(spectralRadius(e.re, e.im)).toBeCloseTo(3, 12);
  });

  it("preserves trace and determinant-free invariants on a random 60×60 matrix", () => {
    const n = 60;
    const r = new Rng(4);
    const A = Float64Array.from({ length: n * n }, () => r.normal());
    const e = eigenvalues(A, n);
    let tr = 0;
    let tr2 = 0;
    for (let i = 0; i < n; i++) tr += A[i * n + i];
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) tr2 += A[i * n + k] * A[k * n + i];
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      s += e.re[i];
      s2 += e.re[i] ** 2 - e.im[i] ** 2;
    }
    expect(s).toBeCloseTo(tr, 8);
    expect(s2).toBeCloseTo(tr2, 7);
  });

  it.runIf(hasNumpy())("agrees with numpy.linalg.eigvals", () => {
    const n = 40;
    const r = new Rng(5);
    const A = Array.from({ length: n * n }, () => Math.round(r.normal() * 1000) / 1000);
    const out = python(
      `import numpy as np, json; A=np.array(${JSON.stringify(A)}).reshape(${n},${n}); e=np.linalg.eigvals(A); print(json.dumps(sorted([[float(z.real), float(z.imag)] for z in e])))`,
    );
    const ref = JSON.parse(out) as [number, number][];
    const e = eigenvalues(A, n);
    const ours = sorted(e.re, e.im);
    for (let i = 0; i < n; i++) {
      expect(ours[i][0]).toBeCloseTo(ref[i][0], 8);
      expect(Math.abs(ours[i][1])).toBeCloseTo(Math.abs(ref[i][1]), 8);
    }
  });
});
