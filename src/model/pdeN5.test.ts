/** PDE_N5's GNN: psi*([x_j, a_i, a_j]) per edge, its gradients (finite differences) and its edge_diff on diagonal pairs. */
import { describe, expect, it } from "vitest";
import { fdRelativeErrors, plainMlp as mlp, randomProblem } from "../../test/helpers.js";
import { referenceBackend } from "../kernels/reference.js";
import { forward, lossAndGrad } from "./gnn.js";
import { ParamSet } from "./params.js";
import { lossCoeffs } from "./regularisers.js";

const f64 = referenceBackend("f64");

describe("PDE_N5 GNN (reference, float64)", () => {
  it("pred = phi*([x_i, a_i]) + Σ_{j≠i} W_ij psi*([x_j, a_i, a_j]), input order x_j, receiver a_i, sender a_j", () => {
    const N = 6;
    const B = 2;
    const s = randomProblem(f64, N, B, 3, 8, "pairs");
    const pred = f64.alloc(B * N);
    forward(f64, s.p, s.ws, s.X, B, pred);
    const a = (n: number) => [s.p.a[2 * n], s.p.a[2 * n + 1]];
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < N; i++) {
        let m = 0;
        for (let j = 0; j < N; j++) if (j !== i) m += s.p.W[i * N + j] * mlp(s.p.psi, [s.X[b * N + j], ...a(i), ...a(j)]);
        const want = mlp(s.p.phi, [s.X[b * N + i], ...a(i)]) + m;
        expect(pred[b * N + i]).toBeCloseTo(want, 12);
      }
    }
  });

  it("gradients of W, a, psi* and phi* match finite differences (N = 20, every loss term but edge_diff)", () => {
    const N = 20;
    const B = 2;
    const s = randomProblem(f64, N, B, 5, 8, "pairs");
    const coeffs = lossCoeffs({ phiZero: 1, WL1: 1e-3 });
    lossAndGrad(f64, s.p, s.grad, s.ws, s.X, s.Y, B, coeffs);
    const loss = () => lossAndGrad(f64, s.p, new ParamSet(s.shape, f64), s.ws, s.X, s.Y, B, coeffs).total;
    const errs = fdRelativeErrors(s.p, s.grad, N, loss);
    for (const [name, err] of errs) expect(err, name).toBeLessThan(1e-5);
  });

  it("edge_diff on [x_j, a_j, a_j] vs [x_j + δ, a_j, a_j]: inputs detached, so its gradient reaches psi* only", () => {
    const N = 8;
    const B = 2;
    const s = randomProblem(f64, N, B, 7, 8, "pairs");
    const ed = lossCoeffs({ edgeDiff: 5, edgeDelta: 0.5 });
    const none = lossCoeffs();
    const gOn = new ParamSet(s.shape, f64);
    const gOff = new ParamSet(s.shape, f64);
    const lOn = lossAndGrad(f64, s.p, gOn, s.ws, s.X, s.Y, B, ed);
    lossAndGrad(f64, s.p, gOff, s.ws, s.X, s.Y, B, none);
    // The term's value: Σ_b λ ‖relu(psi*([x_bj, a_j, a_j]) − psi*([x_bj + δ, a_j, a_j]))_j‖₂.
    const a = (n: number) => [s.p.a[2 * n], s.p.a[2 * n + 1]];
    let want = 0;
    for (let b = 0; b < B; b++) {
      let rr = 0;
      for (let j = 0; j < N; j++) {
        const x = s.X[b * N + j];
        const r = mlp(s.p.psi, [x, ...a(j), ...a(j)]) - mlp(s.p.psi, [x + 0.5, ...a(j), ...a(j)]);
        if (r > 0) rr += r * r;
      }
      want += 5 * Math.sqrt(rr);
    }
    expect(lOn.edgeDiff).toBeGreaterThan(0);
    expect(lOn.edgeDiff).toBeCloseTo(want, 10);
    for (const name of ["W", "a", "lin_phi.layers.0.weight"]) {
      expect(Array.from(gOn.tensor(name)), name).toEqual(Array.from(gOff.tensor(name)));
    }
    // psi*'s gradient of the term alone against finite differences of its value (a, x held fixed).
    const psiOnly = (g: ParamSet) => s.p.psi.map((_, l) => Float64Array.from(g.psi[l]));
    const dOn = psiOnly(gOn);
    const dOff = psiOnly(gOff);
    const h = 1e-6;
    let num2 = 0;
    let diff2 = 0;
    for (let l = 0; l < s.p.psi.length; l++) {
      const t = s.p.psi[l];
      for (let k = 0; k < t.length; k++) {
        const t0 = t[k];
        t[k] = t0 + h;
        const lp = lossAndGrad(f64, s.p, new ParamSet(s.shape, f64), s.ws, s.X, s.Y, B, ed).edgeDiff;
        t[k] = t0 - h;
        const lm = lossAndGrad(f64, s.p, new ParamSet(s.shape, f64), s.ws, s.X, s.Y, B, ed).edgeDiff;
        t[k] = t0;
        const fd = (lp - lm) / (2 * h);
        num2 += fd * fd;
        diff2 += (fd - (dOn[l][k] - dOff[l][k])) ** 2;
      }
    }
    expect(Math.sqrt(diff2 / num2)).toBeLessThan(1e-5);
  });
});
