import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { referenceBackend } from "../kernels/reference.js";
import { type ModelShape, ParamSet, initParams } from "../model/params.js";
import { pdeN2 } from "../signal/pdeN2.js";
import { neuronParams } from "../simulate/neurons.js";
import { pdeN2EulerStep } from "../simulate/pdeN2.js";
import {
  copyEmbeddings,
  newConnectivity,
  parseNewParams,
  reassignTypes,
  rolloutFit,
  rolloutLearned,
  rolloutTrue,
} from "./rollout.js";

describe("rollout scoring", () => {
  it("fits on the points within 3 std of the median, scores R² on all points", () => {
    const r = new Rng(1, 0);
    const x = Array.from({ length: 200 }, () => 5 * r.normal());
    const y = x.map((v) => 2 * v + 1);
    const f = rolloutFit(x, y);
    expect(f.status).toBe("ok");
    expect(f.slope).toBeCloseTo(2, 10);
    expect(f.intercept).toBeCloseTo(1, 10);
    expect(f.r2).toBeCloseTo(1, 10);
    // One wild outlier does not move the fit, but lowers R² (computed on all points).
    y[7] = 1e4;
    const g = rolloutFit(x, y);
    expect(g.slope).toBeCloseTo(2, 10);
    expect(g.r2).toBeLessThan(0.5);
  });

  it("scores a collapsed or exploded rollout 0", () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    expect(
      rolloutFit(
        x,
        x.map(() => 0.01),
      ).status,
    ).toBe("collapsed");
    expect(
      rolloutFit(
        x,
        x.map((v) => v * 1e11),
      ),
    ).toMatchObject({ status: "explosion", r2: 0 });
    expect(rolloutFit(x, [...x.slice(1), Number.NaN]).status).toBe("explosion");
    expect(rolloutFit([1, 2, 3], [1, 2, 3]).status).toBe("too few points");
  });
});

describe("rollouts", () => {
  it("the true rollout is explicit Euler of PDE_N2 from x0", () => {
    const N = 5;
    const r = new Rng(2, 0);
    const W = Float32Array.from({ length: N * N }, (_, k) => (k % (N + 1) ? 0.3 * r.normal() : 0));
    const types = Int32Array.of(0, 0, 1, 1, 1);
    const table = [
      [10, 1, 1],
      [10, 2, 1],
    ];
    const params = neuronParams(types, table);
    const x0 = Float32Array.from({ length: N }, () => 3 * r.normal());
    const out = rolloutTrue(pdeN2.trueSystem(W, types, table), x0, 3, 0.01);
    const x = Float64Array.from(x0);
    const d = new Float64Array(N);
    for (let t = 1; t <= 3; t++) pdeN2EulerStep(W, params, x, d, 0.01);
    expect(Array.from(out.subarray(3 * N))).toEqual(Array.from(Float32Array.from(x)));
  });

  it("the learned rollout follows the model's derivative and stops at non-finite states", () => {
    const N = 4;
    const shape: ModelShape = { N, embeddingDim: 2, psi: { sizes: [1, 8, 8, 1] }, phi: { sizes: [3, 8, 8, 1] } };
    const be = referenceBackend("f64");
    const p = new ParamSet(shape, be);
    initParams(p, 3);
    const out = rolloutLearned(be, p, [1, -1, 2, 0.5], 5, 0.01);
    expect(out.slice(0, 4)).toEqual(Float32Array.of(1, -1, 2, 0.5));
    expect(out.every(Number.isFinite)).toBe(true);
    p.phi[5][0] = Number.POSITIVE_INFINITY; // output bias
    const bad = rolloutLearned(be, p, [1, -1, 2, 0.5], 5, 0.01);
    expect(Number.isNaN(bad[N])).toBe(true);
  });
});

describe("generalisation set-up", () => {
  it("parses --new-params with clear errors", () => {
    expect(parseNewParams("0.25,10,20,30,40", 4)).toEqual({ ff: 0.25, percentages: [10, 20, 30, 40] });
    expect(() => parseNewParams("0.25,10,20", 4)).toThrowError(/expected ff and 4 percentages/);
    expect(() => parseNewParams("0,10,20,30,40", 4)).toThrowError(/ff = 0 must be in \(0, 1\]/);
    expect(() => parseNewParams("0.5,60,50,0,0", 4)).toThrowError(/add up to 110/);
    expect(() => parseNewParams("0.5,-1,50,0,0", 4)).toThrowError(/must not be negative/);
    expect(() => parseNewParams("0.5,,50,0,0", 4)).toThrowError(/"" is not a number/);
  });

  it("re-assigns types in contiguous blocks and copies embeddings of the new type", () => {
    const old = Int32Array.from({ length: 20 }, (_, i) => Math.floor(i / 5)); // 4 types × 5
    expect(Array.from(reassignTypes(old, [10, 20, 30, 40]))).toEqual([
      0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
    ]);
    // Percentages below 100: the rest keep their type.
    expect(Array.from(reassignTypes(old, [60, 0, 0, 0]))).toEqual([...new Array(12).fill(0), 2, 2, 2, 3, 3, 3, 3, 3]);
    const a = Float32Array.from({ length: 40 }, (_, k) => Math.floor(k / 10)); // embedding (t, t) for type t
    const types = reassignTypes(old, [60, 40, 0, 0]);
    const copied = copyEmbeddings(a, 2, old, types, 1);
    types.forEach((t, n) => {
      expect(copied[2 * n]).toBe(t);
      expect(copied[2 * n + 1]).toBe(t);
    });
  });

  it("draws a fresh connectivity and keeps each weight with probability ff", () => {
    const N = 200;
    const { W, nonZeros } = newConnectivity("Lorentz", N, 42, 0.25);
    const all = newConnectivity("Lorentz", N, 42, 1);
    expect(nonZeros).toBeGreaterThan(0.23 * N * (N - 1));
    expect(nonZeros).toBeLessThan(0.27 * N * (N - 1));
    for (let k = 0; k < W.length; k++) if (W[k] !== 0) expect(W[k]).toBe(all.W[k]);
  });
});
