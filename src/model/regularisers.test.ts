import { describe, expect, it } from "vitest";
import { fdRelativeErrors, plainMlp as mlp, randomProblem } from "../../test/helpers.js";
import type { Backend } from "../kernels/backend.js";
import { referenceBackend } from "../kernels/reference.js";
import { Adam } from "./adam.js";
import { type LossParts, lossAndGrad } from "./gnn.js";
import { ParamSet } from "./params.js";
import { type LossCoeffs, lossCoeffs } from "./regularisers.js";

const f64 = referenceBackend("f64");
const RATES = { W: 1e-3, psi: 5e-4, phi: 5e-4, a: 7.5e-4 };

/**
 * Central finite differences of the total loss against lossAndGrad's gradient, tensor by tensor:
 * returns the relative error ‖fd − g‖ / ‖fd‖ of each (the masked diagonal of W checked to be 0).
 */
function fdErrors(N: number, B: number, coeffs: LossCoeffs, seed = 5, psiEmbedding = false): Map<string, number> {
  const s = randomProblem(f64, N, B, seed, 5, psiEmbedding);
  lossAndGrad(f64, s.p, s.grad, s.ws, s.X, s.Y, B, coeffs);
  const loss = () => lossAndGrad(f64, s.p, new ParamSet(s.shape, f64), s.ws, s.X, s.Y, B, coeffs).total;
  return fdRelativeErrors(s.p, s.grad, N, loss);
}

describe("regularisers (reference backend, float64)", () => {
  const edge = lossCoeffs({ edgeDiff: 3, edgeDelta: 0.8 });
  const l1 = lossCoeffs({ WL1: 0.05 });
  const all = lossCoeffs({ phiZero: 1, edgeDiff: 3, edgeDelta: 0.8, WL1: 0.05 });

  it.each([
    ["edge_diff", edge, 3],
    ["W L1", l1, 3],
    ["all terms", all, 3],
    ["all terms, batch 1", all, 1],
  ] as const)("%s: gradients equal central finite differences (rel. error < 1e-5)", (_, coeffs, B) => {
    for (const [name, err] of fdErrors(6, B, coeffs)) expect(err, name).toBeLessThan(1e-5);
  });

  it("edge_diff = Σ_b λ ‖relu(psi*(x_bj) − psi*(x_bj + δ))_j‖₂, W L1 = λ Σ|W_ij|, and the parts add up", () => {
    const N = 7;
    const B = 3;
    const s = randomProblem(f64, N, B, 11, 5);
    const parts = lossAndGrad(f64, s.p, s.grad, s.ws, s.X, s.Y, B, all);
    let edgeDiff = 0;
    let active = 0;
    for (let b = 0; b < B; b++) {
      let rr = 0;
      for (let j = 0; j < N; j++) {
        const x = s.X[b * N + j];
        const r = Math.max(0, mlp(s.p.psi, x) - mlp(s.p.psi, x + 0.8));
        if (r > 0) active++;
        rr += r * r;
      }
      edgeDiff += 3 * Math.sqrt(rr);
    }
    expect(active).toBeGreaterThan(0); // the term is on somewhere in this problem
    expect(active).toBeLessThan(B * N);
    expect(parts.edgeDiff).toBeCloseTo(edgeDiff, 12);
    expect(parts.WL1).toBeCloseTo(0.05 * Array.from(s.p.W).reduce((acc, w) => acc + Math.abs(w), 0), 12);
    expect(parts.phiZero).toBeGreaterThan(0);
    expect(parts.regul).toBe(parts.phiZero + parts.edgeDiff + parts.WL1);
    expect(parts.total).toBe(parts.pred + parts.regul);
    const off = lossAndGrad(f64, s.p, new ParamSet(s.shape, f64), s.ws, s.X, s.Y, B, lossCoeffs());
    expect(off).toEqual({ total: off.pred, pred: parts.pred, regul: 0, phiZero: 0, edgeDiff: 0, WL1: 0 });
  });

  it("edge_diff reaches only psi*; W L1 adds exactly λ·sign(W) to dW (0 on the diagonal)", () => {
    const N = 6;
    const B = 2;
    const s = randomProblem(f64, N, B, 4, 5);
    const gradOf = (c: LossCoeffs) => {
      const g = new ParamSet(s.shape, f64);
      lossAndGrad(f64, s.p, g, s.ws, s.X, s.Y, B, c);
      return g;
    };
    const base = gradOf(lossCoeffs({ phiZero: 1 }));
    const withEdge = gradOf(lossCoeffs({ phiZero: 1, edgeDiff: 3, edgeDelta: 0.8 }));
    const withL1 = gradOf(lossCoeffs({ phiZero: 1, WL1: 0.05 }));
    for (const spec of s.p.specs) {
      const same = Array.from(withEdge.tensor(spec.name)).every((v, k) => v === base.tensor(spec.name)[k]);
      expect(same, spec.name).toBe(!spec.name.startsWith("lin_edge."));
    }
    expect(Array.from(withL1.data.subarray(N * N))).toEqual(Array.from(base.data.subarray(N * N)));
    for (let k = 0; k < N * N; k++) {
      const sign = Math.floor(k / N) === k % N ? 0 : Math.sign(s.p.W[k]);
      expect(withL1.W[k]).toBeCloseTo(base.W[k] + 0.05 * sign, 14);
    }
  });

  it("with W L1 on, a fusing backend takes W's step with dW + λ·sign(W): the numbers of the separate ops", () => {
    const N = 5;
    const B = 2;
    const l1s: number[] = [];
    // A backend that fuses W's step (as the native one does), built from the reference's ops.
    const fusing: Backend = {
      ...f64,
      messagesBackwardAdamW(W, G, P, b, n, dP, m, v, lr, beta1, beta2, eps, t, l1 = 0) {
        l1s.push(l1);
        const dW = f64.alloc(n * n);
        f64.messagesBackward(W, G, P, b, n, dW, dP);
        for (let k = 0; k < n * n; k++) dW[k] += l1 * Math.sign(W[k]);
        f64.adam(W, dW, m, v, lr, beta1, beta2, eps, t);
        for (let i = 0; i < n; i++) W[i * n + i] = 0;
      },
    };
    const run = (backend: Backend, coeffs: LossCoeffs, steps: number) => {
      const s = randomProblem(backend, N, B, 8, 5);
      const opt = new Adam(backend, s.p, RATES);
      const losses: LossParts[] = [];
      for (let k = 0; k < steps; k++) {
        losses.push(lossAndGrad(backend, s.p, s.grad, s.ws, s.X, s.Y, B, coeffs, opt));
        opt.step(s.p, s.grad);
      }
      return { losses, W: Array.from(s.p.W), all: Array.from(s.p.data) };
    };
    const withL1 = lossCoeffs({ phiZero: 1, WL1: 0.05 });
    const fusedL1 = run(fusing, withL1, 3);
    expect(l1s).toEqual([0.05, 0.05, 0.05]);
    const refL1 = run(f64, withL1, 3);
    fusedL1.all.forEach((v, k) => expect(v).toBeCloseTo(refL1.all[k], 12));
    fusedL1.losses.forEach((l, k) => expect(l.WL1).toBeCloseTo(refL1.losses[k].WL1, 12));
    // Without the L1 term the fused step gets l1 = 0 and gives the numbers of the separate ops.
    const plain = run(fusing, lossCoeffs({ phiZero: 1 }), 3);
    expect(l1s.slice(3)).toEqual([0, 0, 0]);
    const ref = run(f64, lossCoeffs({ phiZero: 1 }), 3);
    plain.all.forEach((v, k) => expect(v).toBeCloseTo(ref.all[k], 12));
    // And the L1 term moved W.
    const l1 = (W: number[]) => W.reduce((acc, w) => acc + Math.abs(w), 0);
    expect(l1(fusedL1.W)).not.toBe(l1(ref.W));
  });
});

describe("regularisers of PDE_N4's psi*([x_j, a_j]) (reference backend, float64)", () => {
  const edge = lossCoeffs({ edgeDiff: 3, edgeDelta: 0.8 });
  const all = lossCoeffs({ phiZero: 1, edgeDiff: 3, edgeDelta: 0.8, WL1: 0.05 });

  it.each([
    ["no regulariser", lossCoeffs(), 3],
    ["edge_diff", edge, 3],
    ["all terms", all, 3],
    ["all terms, batch 1", all, 1],
  ] as const)("%s: gradients (a through psi* included) equal central finite differences (rel. error < 1e-5)", (_, coeffs, B) => {
    for (const [name, err] of fdErrors(6, B, coeffs, 5, true)) expect(err, name).toBeLessThan(1e-5);
  });

  it("edge_diff = Σ_b λ ‖relu(psi*([x_bj, a_j]) − psi*([x_bj + δ, a_j]))_j‖₂, its gradient reaching psi* only (not a)", () => {
    const N = 7;
    const B = 3;
    const s = randomProblem(f64, N, B, 8, 5, true);
    const gradOf = (c: LossCoeffs) => {
      const g = new ParamSet(s.shape, f64);
      return { parts: lossAndGrad(f64, s.p, g, s.ws, s.X, s.Y, B, c), g };
    };
    const { parts, g: withEdge } = gradOf(edge);
    const base = gradOf(lossCoeffs()).g;
    let edgeDiff = 0;
    let active = 0;
    for (let b = 0; b < B; b++) {
      let rr = 0;
      for (let j = 0; j < N; j++) {
        const x = s.X[b * N + j];
        const a = [s.p.a[2 * j], s.p.a[2 * j + 1]];
        const r = Math.max(0, mlp(s.p.psi, [x, ...a]) - mlp(s.p.psi, [x + 0.8, ...a]));
        if (r > 0) active++;
        rr += r * r;
      }
      edgeDiff += 3 * Math.sqrt(rr);
    }
    expect(active).toBeGreaterThan(0);
    expect(active).toBeLessThan(B * N);
    expect(parts.edgeDiff).toBeCloseTo(edgeDiff, 12);
    for (const spec of s.p.specs) {
      const same = Array.from(withEdge.tensor(spec.name)).every((v, k) => v === base.tensor(spec.name)[k]);
      expect(same, spec.name).toBe(!spec.name.startsWith("lin_edge."));
    }
  });
});
