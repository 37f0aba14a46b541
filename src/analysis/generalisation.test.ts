import { describe, expect, it } from "vitest";
import { connectivityFit } from "../core/regression.js";
import { Rng } from "../core/rng.js";
import { referenceBackend } from "../kernels/reference.js";
import { type ModelShape, ParamSet, initParams } from "../model/params.js";
import { pdeN2 } from "../signal/pdeN2.js";
import { compareRollouts, generalisationNetwork } from "./generalisation.js";

const f64 = referenceBackend("f64");

function learnedModel(N: number) {
  const shape: ModelShape = { N, embeddingDim: 2, psi: { sizes: [1, 8, 8, 1] }, phi: { sizes: [3, 8, 8, 1] } };
  const p = new ParamSet(shape, f64);
  initParams(p, 4);
  const r = new Rng(5, 0);
  const trueW = Float32Array.from({ length: N * N }, (_, k) => (k % (N + 1) ? 0.1 * r.normal() : 0));
  // The learned W is the true one × 3 plus noise: raw slope ≈ 3.
  for (let k = 0; k < N * N; k++) p.W[k] = k % (N + 1) ? 3 * trueW[k] + 0.01 * r.normal() : 0;
  for (let i = 0; i < N; i++) p.a.set([i % 2, 10 + (i % 2)], 2 * i);
  return { p, trueW, types: Int32Array.from({ length: N }, (_, i) => i % 2) };
}

describe("generalisation network (Supp Figs 5, 6)", () => {
  it("gives a copy of the learned model the new W × the raw slope and embeddings of the new types; the learned model is untouched", () => {
    const N = 40;
    const { p, trueW, types } = learnedModel(N);
    const before = Float64Array.from(p.data);
    const net = generalisationNetwork(f64, p, trueW, types, { ff: 0.5, percentages: [75, 25] }, "Lorentz", 7);
    expect(Array.from(p.data)).toEqual(Array.from(before));
    const slope = connectivityFit(p.W, trueW, N).slope;
    expect(slope).toBeCloseTo(3, 1);
    for (let k = 0; k < N * N; k++) expect(net.model.W[k]).toBeCloseTo(net.W[k] * slope, 6);
    expect(net.nonZeros).toBe(Array.from(net.W).filter((w) => w !== 0).length);
    expect(net.nonZeros / (N * (N - 1))).toBeGreaterThan(0.35);
    expect(net.nonZeros / (N * (N - 1))).toBeLessThan(0.65);
    // 75 % type 0 then 25 % type 1, in blocks; each neuron carries an embedding of its new type (a_0 = type here).
    expect(Array.from(net.types)).toEqual(Array.from({ length: N }, (_, i) => (i < 30 ? 0 : 1)));
    for (let i = 0; i < N; i++) expect(net.model.a[2 * i]).toBe(net.types[i]);
    // The MLPs are the learned ones.
    expect(Array.from(net.model.psi[0])).toEqual(Array.from(p.psi[0]));
  });

  it("scores a rollout of a model against itself as perfect, and marks steps beyond the rollout", () => {
    const N = 8;
    const { p, trueW, types } = learnedModel(N);
    const params = [
      [1, 1, 1],
      [1, 2, 1],
    ];
    const c = compareRollouts(
      f64,
      p,
      pdeN2.trueSystem(trueW, types, params),
      Float32Array.from({ length: N }, (_, i) => i - 4),
      500,
      0.01,
    );
    expect(c.truth).toHaveLength(501 * N);
    expect(c.metrics.every10).toHaveLength(50);
    expect(c.metrics.t800.status).toBe("too few points");
    expect(Number.isNaN(c.metrics.t800.r2)).toBe(true);
  });
});
