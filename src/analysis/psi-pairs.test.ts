import { describe, expect, it } from "vitest";
import { randomProblem } from "../../test/helpers.js";
import { referenceBackend } from "../kernels/reference.js";
import { psiPairsPanel } from "../plot/psi-pairs.js";
import { pdeN5PsiPair } from "../simulate/pdeN5.js";
import { psiPairs, wR2ByTypePair } from "./psi-pairs.js";

const PARAMS = [
  [1, 0, 10, 1, 1, 0],
  [1, 0, 10, 2, 2, 0],
  [2, 0, 10, 1, 4, 0],
  [2, 0, 10, 2, 8, 0],
];
const truth = (k: number, n: number) => (x: number) => pdeN5PsiPair(x, PARAMS[k], PARAMS[n]);

describe("psi* of neuron pairs (Supp Fig 14h)", () => {
  const f32 = referenceBackend("f32");
  const s = randomProblem(f32, 8, 1, 3, 16, "pairs");
  const types = Int32Array.of(0, 0, 1, 1, 2, 2, 3, 3);

  it("is seeded: the same pairs, corrections and curves twice; another seed draws other pairs", () => {
    const a = psiPairs(f32, s.p, types, 4, truth, { pairs: 8, seed: 1 });
    const b = psiPairs(f32, s.p, types, 4, truth, { pairs: 8, seed: 1 });
    const c = psiPairs(f32, s.p, types, 4, truth, { pairs: 8, seed: 2 });
    expect(a.correction).toEqual(b.correction);
    expect(a.rmse).toEqual(b.rmse);
    expect(Array.from(a.curves[3][2])).toEqual(Array.from(b.curves[3][2]));
    expect(Array.from(c.curves[3][2])).not.toEqual(Array.from(a.curves[3][2]));
    // r = linspace(−20, 20, 1000) restricted to [−5, 5]; [pairs, nR] per (receiver type, sender type).
    expect(a.r[0]).toBeGreaterThanOrEqual(-5);
    expect(a.r[a.r.length - 1]).toBeLessThanOrEqual(5);
    expect(a.curves[1][0].length).toBe(8 * a.r.length);
    expect(a.width.every((w) => w > 0)).toBe(true);
  });

  it("c_k makes the type-0-sender curves average 1 on r ∈ [16, 20]; a psi* equal to the truth scores 0", () => {
    // psi* of receiver k and sender n: the truth itself, through a backend that ignores the MLP.
    const exact = {
      ...f32,
      mlpForward(
        _shape: unknown,
        _layers: unknown,
        X: Float32Array | Float64Array,
        S: number,
        _acts: unknown,
        y: Float32Array | Float64Array,
      ) {
        for (let q = 0; q < S; q++) {
          const k = Math.round(X[q * 5 + 1]);
          const n = Math.round(X[q * 5 + 3]);
          y[q] = 3 * truth(k, n)(X[q * 5]);
        }
      },
    } as typeof f32;
    const p = randomProblem(f32, 8, 1, 3, 16, "pairs").p;
    for (let i = 0; i < 8; i++) p.a.set([types[i], 0], 2 * i);
    const r = psiPairs(exact, p, types, 4, truth, { pairs: 10 });
    const mean = (k: number) => {
      let sum = 0;
      for (let g = 900; g < 1000; g++) sum += 3 * truth(k, 0)(-20 + (40 * g) / 999);
      return sum / 100;
    };
    r.correction.forEach((c, k) => expect(c).toBeCloseTo(1 / mean(k), 4));
    // Learned = truth·3·c_k, so the error is |3·c_k − 1|·|truth|: 0 where the truth saturates by r = 16.
    expect(r.rmse[0][0]).toBeLessThan(1e-3);
    expect(r.width[0]).toBeCloseTo(1, 1);
    expect(r.width[3]).toBeGreaterThan(6);
    const svg = psiPairsPanel(r.r, r.curves, truth);
    expect(svg.match(/stroke-width="4"/g)?.length).toBe(8);
  });

  it("W R² by (receiving, sending) type block: 1 for an exact W up to a scale per block, lower where a block is noisy", () => {
    const N = 8;
    const trueW = Float32Array.from({ length: N * N }, (_, e) => (e % (N + 1) === 0 ? 0 : Math.sin(2.3 * e)));
    const W = Float32Array.from(
      trueW,
      (w, e) => (types[Math.floor(e / N)] + 1) * w + (types[Math.floor(e / N)] === 3 ? 5 * Math.cos(7 * e) : 0),
    );
    const r2 = wR2ByTypePair(W, trueW, types, 4);
    for (let k = 0; k < 3; k++) for (let n = 0; n < 4; n++) expect(r2[k][n]).toBeCloseTo(1, 10);
    for (const n of [0, 1, 2]) expect(r2[3][n]).toBeLessThan(0.99);
  });
});
