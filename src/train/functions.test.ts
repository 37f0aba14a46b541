import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { linspace } from "../core/stats.js";
import { referenceBackend } from "../kernels/reference.js";
import { Adam } from "../model/adam.js";
import { CurveWorkspace, samplePhi } from "../model/curves.js";
import { type ModelShape, ParamSet, initParams } from "../model/params.js";
import { curveLossAndGrad, fitToCurves, groupMedianCurves } from "./functions.js";

const f64 = referenceBackend("f64");

function setup(N: number, h: number, nR: number, maxSamples?: number) {
  const shape: ModelShape = { N, embeddingDim: 2, psi: { sizes: [1, h, h, 1] }, phi: { sizes: [3, h, h, 1] } };
  const p = new ParamSet(shape, f64);
  initParams(p, 5);
  const r = new Rng(5, 1);
  for (let k = 0; k < p.a.length; k++) p.a[k] += 0.5 * r.normal();
  const ws = new CurveWorkspace(f64, p, nR, maxSamples);
  const rs = linspace(-4, 4, nR);
  const groups = Int32Array.from({ length: N }, (_, n) => n % 3);
  const targets = Float32Array.from({ length: 3 * nR }, (_, k) => (1 + Math.floor(k / nR)) * Math.tanh(rs[k % nR]));
  return { shape, p, rs, ws, groups, targets };
}

describe("phi* curves and the function replacement", () => {
  it("samples phi*([r, a_n]) per neuron, the same in chunks as in one pass", () => {
    const a = setup(7, 8, 11);
    const b = setup(7, 8, 11, 25); // 2 neurons per chunk
    expect(b.ws.perChunk).toBe(2);
    expect(Array.from(samplePhi(f64, b.p, b.ws, b.rs))).toEqual(Array.from(samplePhi(f64, a.p, a.ws, a.rs)));
  });

  it("group median curves are per-point medians", () => {
    const F = Float32Array.from([1, 5, 3, 9, 2, 7, 100, 100]); // 4 neurons × 2 points
    const t = groupMedianCurves(F, 2, Int32Array.from([0, 0, 0, 1]), 3);
    expect(Array.from(t.subarray(0, 4))).toEqual([2, 7, 100, 100]);
    expect(Number.isNaN(t[4])).toBe(true); // empty group
  });

  it("the curve-loss gradient (phi* and a) matches central finite differences, chunked or not", () => {
    for (const maxSamples of [undefined, 20]) {
      const { shape, p, rs, ws, groups, targets } = setup(5, 6, 7, maxSamples);
      const grad = new ParamSet(shape, f64);
      curveLossAndGrad(f64, p, grad, ws, rs, groups, targets);
      const scratch = new ParamSet(shape, f64);
      const loss = () => curveLossAndGrad(f64, p, scratch, ws, rs, groups, targets, undefined, false);
      const h = 1e-6;
      let checked = 0;
      for (const name of ["a", "lin_phi.layers.0.weight", "lin_phi.layers.1.weight", "lin_phi.layers.2.bias"]) {
        const t = p.tensor(name);
        const g = grad.tensor(name);
        for (let k = 0; k < t.length; k += 3) {
          const v = t[k];
          t[k] = v + h;
          const up = loss();
          t[k] = v - h;
          const down = loss();
          t[k] = v;
          const fd = (up - down) / (2 * h);
          expect(Math.abs(g[k] - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(20);
      expect(Array.from(grad.W).every((v) => v === 0)).toBe(true);
    }
  });

  it("20 Adam steps at a small learning rate lower the curve loss at every step", () => {
    const { shape, p, rs, ws, groups, targets } = setup(6, 8, 21);
    const grad = new ParamSet(shape, f64);
    const adam = new Adam(f64, p, { W: 1e-3, psi: 5e-4, phi: 1e-3, a: 1e-12 });
    const losses = fitToCurves(f64, p, grad, adam, ws, rs, groups, targets, 20);
    expect(losses).toHaveLength(21);
    for (let k = 1; k < losses.length; k++) expect(losses[k]).toBeLessThan(losses[k - 1]);
  });
});
