/**
 * The GNN with Figure 3's multiplicative external input: pred_i = phi*([x_i, a_i]) + Ω_i Σ_j W_ij
 * psi*([x_j, a_j]), Ω [B, N] in the Workspace; lossAndGrad's dL/dΩ = G ⊙ M and dM = G ⊙ Ω.
 */
import { describe, expect, it } from "vitest";
import { allclose, fdRelativeErrors, plainMlp as mlp, nativeOrWarn } from "../../test/helpers.js";
import { Rng } from "../core/rng.js";
import type { Backend } from "../kernels/backend.js";
import { nativeBackend } from "../kernels/native/backend.js";
import { referenceBackend } from "../kernels/reference.js";
import { Adam } from "./adam.js";
import { Workspace, forward, lossAndGrad } from "./gnn.js";
import { type ModelShape, ParamSet, initParams } from "./params.js";
import { lossCoeffs } from "./regularisers.js";

const f64 = referenceBackend("f64");

/** PDE_N4's GNN with Figure 3's 5-layer psi* (width h), parameters off init, a random Ω (1 for neurons ≥ nInput). */
function problem(N: number, B: number, nInput: number, h = 5, seed = 3, backend: Backend = f64) {
  const shape: ModelShape = {
    N,
    embeddingDim: 2,
    psi: { sizes: [3, h, h, h, h, 1] },
    phi: { sizes: [3, h, h, 1] },
    psiEmbedding: true,
  };
  const p = new ParamSet(shape, backend);
  initParams(p, seed);
  const r = new Rng(seed, 41);
  for (let k = 0; k < p.a.length; k++) p.a[k] += 0.4 * r.normal();
  for (const t of [...p.psi, ...p.phi]) for (let k = 0; k < t.length; k++) t[k] += 0.1 * r.normal();
  for (let k = 0; k < p.W.length; k++) p.W[k] *= 0.1;
  for (let i = 0; i < N; i++) p.W[i * N + i] = 0;
  const X = backend.alloc(B * N);
  const Y = backend.alloc(B * N);
  for (let k = 0; k < B * N; k++) {
    X[k] = 3 * r.normal();
    Y[k] = r.normal();
  }
  const ws = new Workspace(p, B, backend, true);
  const O = ws.omega!;
  for (let b = 0; b < B; b++) for (let i = 0; i < nInput; i++) O[b * N + i] = 0.5 + r.uniform();
  return { shape, p, X, Y, ws };
}

describe("GNN with a multiplicative external input Ω (reference backend, float64)", () => {
  it("computes pred_i = phi*([x_i, a_i]) + Ω_i Σ_{j≠i} W_ij psi*([x_j, a_j]) with a 5-layer psi*", () => {
    const N = 6;
    const B = 2;
    const { p, X, ws } = problem(N, B, 4);
    const pred = f64.alloc(B * N);
    forward(f64, p, ws, X, B, pred);
    const a = (n: number) => [p.a[2 * n], p.a[2 * n + 1]];
    expect(p.psi).toHaveLength(10);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < N; i++) {
        let msg = 0;
        for (let j = 0; j < N; j++) if (j !== i) msg += p.W[i * N + j] * mlp(p.psi, [X[b * N + j], ...a(j)]);
        const omega = ws.omega![b * N + i];
        if (i >= 4) expect(omega).toBe(1);
        expect(pred[b * N + i]).toBeCloseTo(mlp(p.phi, [X[b * N + i], ...a(i)]) + omega * msg, 12);
      }
    }
  });

  it("with Ω = 1 gives the loss and gradients of the model without input, bit for bit", () => {
    const N = 7;
    const B = 3;
    const { shape, p, X, Y } = problem(N, B, 0);
    const coeffs = lossCoeffs({ phiZero: 1, edgeDiff: 10, edgeDelta: 0.1, WL1: 1e-3 });
    const g1 = new ParamSet(shape, f64);
    const g2 = new ParamSet(shape, f64);
    const l1 = lossAndGrad(f64, p, g1, new Workspace(p, B, f64), X, Y, B, coeffs);
    const withOmega = new Workspace(p, B, f64, true);
    const l2 = lossAndGrad(f64, p, g2, withOmega, X, Y, B, coeffs);
    expect(l2).toEqual(l1);
    expect(g2.data).toEqual(g1.data);
  });

  it("has gradients (W, a, psi*, phi* and dL/dΩ) equal to central finite differences (rel. error < 1e-5)", () => {
    const N = 6;
    const B = 2;
    const { shape, p, X, Y, ws } = problem(N, B, 4);
    const coeffs = lossCoeffs({ phiZero: 1, edgeDiff: 10, edgeDelta: 0.1, WL1: 1e-3 });
    const grad = new ParamSet(shape, f64);
    lossAndGrad(f64, p, grad, ws, X, Y, B, coeffs);
    const dOmega = Float64Array.from(ws.dOmega!);
    const loss = () => lossAndGrad(f64, p, new ParamSet(shape, f64), ws, X, Y, B, coeffs).total;
    for (const [name, err] of fdRelativeErrors(p, grad, N, loss)) expect(err, name).toBeLessThan(1e-5);
    // dL/dΩ[b, i] = G[b, i]·M[b, i], for the input neurons and the others alike (Ω* of a SIREN only needs i < nInput).
    const O = ws.omega!;
    const h = 1e-6;
    let num2 = 0;
    let diff2 = 0;
    for (let k = 0; k < B * N; k++) {
      const o = O[k];
      O[k] = o + h;
      const lp = loss();
      O[k] = o - h;
      const lm = loss();
      O[k] = o;
      const fd = (lp - lm) / (2 * h);
      num2 += fd * fd;
      diff2 += (fd - dOmega[k]) ** 2;
    }
    expect(num2).toBeGreaterThan(0);
    expect(Math.sqrt(diff2 / num2)).toBeLessThan(1e-5);
  });
});

describe.skipIf(!("addon" in nativeOrWarn()))(
  "the fast path with Ω: the native kernels (5-layer psi* included, W's Adam step fused)",
  () => {
    it("takes the float32 reference's Adam steps (5-layer psi*, every loss term)", () => {
      const native = nativeBackend({ threads: 2 });
      const ref = referenceBackend("f32");
      const coeffs = lossCoeffs({ phiZero: 1, edgeDiff: 10, edgeDelta: 0.1, WL1: 1e-3 });
      const run = (backend: Backend, fuse: boolean) => {
        const { shape, p, X, Y, ws } = problem(64, 2, 40, 64, 5, backend);
        const grad = new ParamSet(shape, backend);
        const opt = new Adam(backend, p, { W: 1e-3, psi: 5e-4, phi: 5e-4, a: 5e-3 });
        const losses: number[] = [];
        for (let k = 0; k < 3; k++) {
          losses.push(lossAndGrad(backend, p, grad, ws, X, Y, 2, coeffs, fuse ? opt : undefined).total);
          opt.step(p, grad);
        }
        return { losses, p: Float32Array.from(p.data), dOmega: Float32Array.from(ws.dOmega!) };
      };
      const a = run(ref, false);
      const b = run(native, true);
      native.close();
      for (let k = 0; k < 3; k++) expect(Math.abs(b.losses[k] - a.losses[k]) / a.losses[k]).toBeLessThan(1e-5);
      const scale = a.p.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const r = allclose(b.p, a.p, 1e-4, 1e-5 * scale);
      expect(r.ok, r.worst).toBe(true);
      const d = allclose(b.dOmega, a.dOmega, 1e-4, 1e-6);
      expect(d.ok, d.worst).toBe(true);
    });
  },
);
