import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { referenceBackend } from "../kernels/reference.js";
import { samplePsi } from "../model/curves.js";
import { type ModelShape, ParamSet, initParams } from "../model/params.js";
import { clusterEmbeddings, evaluate, psiPlateau } from "./evaluate.js";

const f64 = referenceBackend("f64");

/**
 * PDE_N4's psi*([x, a]) = x + c·a_0 exactly (relu(z) − relu(−z), z = x + c·a_0), so that upper_j =
 * max |psi*| on [0.8·xnorm, xnorm] = xnorm + c·a_j0 differs per sender.
 */
function affinePsiModel(N: number, c: number): ParamSet {
  const shape: ModelShape = {
    N,
    embeddingDim: 2,
    psi: { sizes: [3, 2, 2, 1] },
    phi: { sizes: [3, 4, 4, 1] },
    psiEmbedding: true,
  };
  const p = new ParamSet(shape, f64);
  initParams(p, 1);
  const [W0, b0, W1, b1, W2, b2] = p.psi;
  W0.set([1, c, 0, -1, -c, 0]);
  b0.fill(0);
  W1.set([1, 0, 0, 1]);
  b1.fill(0);
  W2.set([1, -1]);
  b2.fill(0);
  return p;
}

/** psi*(x) = relu(x) − relu(−x) = x exactly: layer 0 = [1, −1] then identity-like layers. */
function identityPsiModel(N: number): ParamSet {
  const shape: ModelShape = { N, embeddingDim: 2, psi: { sizes: [1, 2, 2, 1] }, phi: { sizes: [3, 4, 4, 1] } };
  const p = new ParamSet(shape, f64);
  initParams(p, 1);
  const [W0, b0, W1, b1, W2, b2] = p.psi;
  W0.set([1, -1]);
  b0.fill(0);
  W1.set([1, 0, 0, 1]);
  b1.fill(0);
  W2.set([1, -1]);
  b2.fill(0);
  return p;
}

describe("evaluation", () => {
  it("psi plateau is the median of psi* on [0.8·xnorm, xnorm]", () => {
    const p = identityPsiModel(4);
    expect(Array.from(samplePsi(f64, p, Float32Array.of(-2, 0, 3)))).toEqual([-2, 0, 3]);
    expect(psiPlateau(f64, p, 10)).toBeCloseTo(9, 6); // median of linspace(8, 10)
  });

  it("corrects W by ψ̄/g and fits it against the truth (off-diagonal)", () => {
    const N = 8;
    const p = identityPsiModel(N);
    const r = new Rng(2, 0);
    const W = Float32Array.from({ length: N * N }, (_, k) => (k % (N + 1) === 0 ? 0 : r.normal()));
    // With psi* = x, ψ̄ = 9 (xnorm 10): learned W* = W·g/ψ̄ gives corrected slope 1.
    p.W.set(W.map((w) => (w * 10) / 9));
    const ev = evaluate(f64, p, { W }, { xnorm: 10, g: 10, phiRange: [-5, 5], psiRange: [-5, 5], clusterThreshold: 0.1 });
    expect(ev.corrected!.slope).toBeCloseTo(1, 5);
    expect(ev.corrected!.r2).toBeCloseTo(1, 8);
    expect(ev.raw!.slope).toBeCloseTo(10 / 9, 5);
    expect(ev.phiRmseByType).toBeNull();
    expect(ev.clustering.accuracy).toBeNull();
  });

  it("PDE_N4: corrects W per presynaptic column by upper_j/g, upper_j = max |psi*([r, a_j])| (the empty-range fallback)", () => {
    const N = 8;
    const p = affinePsiModel(N, 1);
    for (let j = 0; j < N; j++) p.a[2 * j] = j / 4; // upper_j = 10 + j/4
    const r = new Rng(3, 0);
    const W = Float32Array.from({ length: N * N }, (_, k) => (k % (N + 1) === 0 ? 0 : r.normal()));
    // Learned W*_ij = W_ij·g/upper_j: corrected slope 1; raw W* is not a multiple of W.
    p.W.set(W.map((w, k) => (w * 10) / (10 + (k % N) / 4)));
    const settings = { xnorm: 10, g: 10, phiRange: [-5, 5] as const, psiRange: [-5, 5] as const, clusterThreshold: 0.1 };
    const norm = { method: "max", xStart: 25, xStop: 30 };
    const ev = evaluate(f64, p, { W }, { ...settings, norm });
    expect(ev.psiNorm).toEqual({ method: "max", range: [250, 300], fallback: true, perNeuron: true });
    Array.from(ev.psiUpper).forEach((u, j) => expect(u).toBeCloseTo(10 + j / 4, 5));
    expect(ev.psiPlateau).toBeCloseTo(10 + 3.5 / 4, 5);
    expect(ev.corrected!.slope).toBeCloseTo(1, 5);
    expect(ev.corrected!.r2).toBeCloseTo(1, 8);
    expect(ev.raw!.r2).toBeLessThan(0.999);
    // The psi* curves divided by upper_j, one per neuron.
    expect(ev.psi.nCurves).toBe(N);
    expect(ev.psi.y[3 * 101 + 100]).toBeCloseTo((5 + 3 / 4) / (10 + 3 / 4), 5);
    expect(ev.psiRmseByType).toBeNull();
    // With types and true transfers: RMSE per type and fitted widths.
    const types = Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1);
    const truth = { W, types, nTypes: 2, psi: [(x: number) => x / 10, (x: number) => Math.tanh(x / 4)] };
    p.a.fill(0); // psi* = x, upper = 10: psi*/upper = x/10
    const ev2 = evaluate(f64, p, truth, { ...settings, norm });
    expect(ev2.psiRmseByType![0]).toBeCloseTo(0, 6);
    expect(ev2.psiRmseByType![1]).toBeGreaterThan(0.1);
    expect(ev2.psiRmse).toBeCloseTo(Math.sqrt(ev2.psiRmseByType![1] ** 2 / 2), 10);
    expect(ev2.psiWidthByType![0]).toBeGreaterThan(50); // a straight line: tanh of a very wide transfer
  });

  it("clusters embeddings and scores them against the true types", () => {
    const a = Float32Array.of(0, 0, 0.01, 0, 1, 1, 1.01, 1, 0.5, 0.02);
    const c = clusterEmbeddings(a, 2, 0.1, { types: Int32Array.of(0, 0, 1, 1, 0), nTypes: 2 });
    expect(c.nClusters).toBe(3);
    expect(c.accuracy).toBeCloseTo(0.8, 12); // the stray neuron 4 is "other"
    // Cut at K = 2 clusters instead: the stray neuron joins the nearer group (type 0's).
    expect(c.kFixed?.k).toBe(2);
    expect(c.kFixed?.nClusters).toBe(2);
    expect(Array.from(c.kFixed!.labels)).toEqual([0, 0, 1, 1, 0]);
    expect(c.kFixed?.accuracy).toBe(1);
    expect(clusterEmbeddings(a, 2, 0.1, {}).kFixed).toBeNull();
  });

  it("32 types in 4 columns of 8 (Supp Fig 12f): a coarse threshold merges columns, K-fixed separates all 32", () => {
    const a: number[] = [];
    const types: number[] = [];
    const col = [0, 0.9, 2.1, 4.4];
    for (let t = 0; t < 32; t++) {
      for (let k = 0; k < 3; k++) {
        a.push(col[t % 4] + 0.001 * k, 0.35 * Math.floor(t / 4) + 0.001 * k);
        types.push(t);
      }
    }
    const c = clusterEmbeddings(Float32Array.from(a), 2, 0.1, { types: Int32Array.from(types), nTypes: 32 });
    expect(c.nClusters).toBe(4);
    expect(c.accuracy).toBeLessThan(0.2);
    expect(c.kFixed?.nClusters).toBe(32);
    expect(c.kFixed?.accuracy).toBe(1);
  });

  it("a constant embedding (training_single_type, all a_i = (1, 1)): one cluster, the last type's share, no NaN", () => {
    const N = 8;
    const p = identityPsiModel(N);
    p.a.fill(1);
    const types = Int32Array.of(0, 0, 1, 1, 2, 2, 3, 3);
    const W = Float32Array.from({ length: N * N }, (_, k) => (k % (N + 1) === 0 || k % 3 === 0 ? 0 : ((k % 7) - 3) / 10));
    p.W.set(W);
    const truth = { W, types, nTypes: 4, phi: [0, 1, 2, 3].map((t) => (x: number) => -x + t * Math.tanh(x)) };
    const ev = evaluate(f64, p, truth, { xnorm: 10, g: 10, phiRange: [-5, 5], psiRange: [-5, 5], clusterThreshold: 0.1 });
    expect(ev.clustering.nClusters).toBe(1);
    expect(ev.clustering.accuracy).toBe(0.25);
    expect(ev.clustering.kFixed).toMatchObject({ k: 4, nClusters: 1, accuracy: 0.25 });
    expect(ev.phiRmseByType?.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(ev.psiRmse)).toBe(true);
    expect(ev.edges?.truthFree.recall).toBe(1);
    expect(ev.edges?.oracle.f1).toBe(1);
  });

  it("phi RMSE by type is zero when phi* equals the true curves", () => {
    const N = 4;
    const p = identityPsiModel(N);
    // phi*([x, a]) = −x for every neuron: layer 0 = [[1,0,0],[−1,0,0],…], output = −relu(x) + relu(−x).
    const [W0, b0, W1, b1, W2, b2] = p.phi;
    W0.fill(0);
    W0.set([1, 0, 0], 0);
    W0.set([-1, 0, 0], 3);
    b0.fill(0);
    W1.fill(0);
    W1[0] = 1;
    W1[5] = 1;
    b1.fill(0);
    W2.fill(0);
    W2.set([-1, 1]);
    b2.fill(0);
    const truth = {
      types: Int32Array.of(0, 0, 1, 1),
      nTypes: 2,
      phi: [(x: number) => -x, (x: number) => -x + Math.tanh(x)],
    };
    const ev = evaluate(f64, p, truth, { xnorm: 10, g: 10, phiRange: [-5, 5], psiRange: [-5, 5], clusterThreshold: 0.1 });
    expect(ev.phiRmseByType![0]).toBeCloseTo(0, 6);
    expect(ev.phiRmseByType![1]).toBeGreaterThan(0.5); // −x + tanh(x) differs from −x
  });
});
