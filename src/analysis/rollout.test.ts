import { describe, expect, it } from "vitest";
import { allclose } from "../../test/helpers.js";
import { Rng } from "../core/rng.js";
import { referenceBackend } from "../kernels/reference.js";
import { type ModelShape, ParamSet, initParams } from "../model/params.js";
import { pdeN2 } from "../signal/pdeN2.js";
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
  // The true system written out here, independently of src/simulate: float64 explicit Euler of
  //   dx_i/dt = −c_i x_i + s_i tanh(x_i) + g_i Σ_j W_ij tanh(x_j)   (row i of W receives from column j).
  const eulerByHand = (W: number[][], g: number[], s: number[], c: number[], x0: number[], steps: number, dt: number) => {
    const states = [x0.slice()];
    let x = x0.slice();
    for (let t = 0; t < steps; t++) {
      x = x.map((xi, i) => {
        let msg = 0;
        for (let j = 0; j < x.length; j++) msg += W[i][j] * Math.tanh(x[j]);
        return xi + dt * (-c[i] * xi + s[i] * Math.tanh(xi) + g[i] * msg);
      });
      states.push(x);
    }
    return states;
  };

  it("the true rollout is float64 explicit Euler of dx_i/dt = −c_i x_i + s_i tanh(x_i) + g_i Σ_j W_ij tanh(x_j)", () => {
    // Three types with different g, s, c; an asymmetric W (W_ij ≠ W_ji) with zero diagonal.
    const table = [
      [10, 1, 1],
      [2, 2, 0.5],
      [0.5, 1.5, 2],
    ];
    const types = [0, 1, 2, 1];
    const W = [
      [0, 0.3, -0.2, 0.05],
      [-0.1, 0, 0.25, 0],
      [0.4, -0.3, 0, 0.15],
      [0, 0.2, 0.1, 0],
    ];
    // Float32 inputs, as the dataset stores them.
    const f32 = (v: number) => Math.fround(v);
    const Wf = W.map((row) => row.map(f32));
    const x0 = [2.5, -1.25, 0.75, -3].map(f32);
    const steps = 300;
    const dt = 0.01;
    const expected = eulerByHand(
      Wf,
      types.map((k) => f32(table[k][0])),
      types.map((k) => f32(table[k][1])),
      types.map((k) => f32(table[k][2])),
      x0,
      steps,
      dt,
    );
    const out = rolloutTrue(pdeN2.trueSystem(Float32Array.from(Wf.flat()), Int32Array.from(types), table), x0, steps, dt);
    expect(out).toHaveLength((steps + 1) * 4);
    for (let t = 0; t <= steps; t++) {
      const { ok, worst } = allclose(out.subarray(4 * t, 4 * t + 4), expected[t], 1e-6, 1e-9);
      expect(ok, `step ${t}: ${worst}`).toBe(true);
    }
    // The coupling matters over these steps: the same neurons without W end elsewhere.
    const uncoupled = eulerByHand(
      W.map((row) => row.map(() => 0)),
      types.map((k) => table[k][0]),
      types.map((k) => table[k][1]),
      types.map((k) => table[k][2]),
      x0,
      steps,
      dt,
    );
    expect(Math.max(...uncoupled[steps].map((v, i) => Math.abs(v - expected[steps][i])))).toBeGreaterThan(0.1);
  });

  it("uncoupled neurons (W = 0) follow their own ODE: x0(1 − c·dt)^t when s = 0, settling where c·x = s·tanh(x)", () => {
    const N = 4;
    const W = new Float32Array(N * N);
    // [g, s, c] per type: pure decay at two rates; bistable (s > c) from either side; decay (s < c).
    const table = [
      [10, 0, 1],
      [10, 0, 2],
      [10, 2, 1],
      [10, 2, 1],
      [10, 1, 2],
    ];
    const x0 = [3, -2, 0.5, -0.5];
    const dt = 0.001;
    const steps = 1000;
    const decay = rolloutTrue(pdeN2.trueSystem(W, Int32Array.of(0, 1, 0, 1), table), x0, steps, dt);
    for (const t of [1, 10, 500, 1000]) {
      for (const [i, c] of [
        [0, 1],
        [1, 2],
        [2, 1],
        [3, 2],
      ]) {
        const v = decay[t * N + i];
        expect(v / (x0[i] * (1 - c * dt) ** t), `neuron ${i}, step ${t}`).toBeCloseTo(1, 6);
      }
    }
    // After t·dt = 1 time unit, Euler with dt = 0.001 is within 0.5 % of x0·e^{−c}.
    expect(decay[steps * N] / (3 * Math.exp(-1))).toBeCloseTo(1, 2);
    expect(decay[steps * N + 1] / (-2 * Math.exp(-2))).toBeCloseTo(1, 2);

    // s = 2 > c = 1: x = 0 is unstable and the state goes to the root of x = 2·tanh(x) on its side.
    let root = 2;
    for (let k = 0; k < 100; k++) root = 2 * Math.tanh(root); // fixed-point iteration, converges (slope < 1)
    expect(root).toBeCloseTo(1.915, 3);
    const settle = rolloutTrue(pdeN2.trueSystem(W, Int32Array.of(2, 3, 4, 4), table), [0.5, -0.5, 3, -3], 20_000, 0.01);
    const last = settle.subarray(20_000 * N);
    expect(last[0]).toBeCloseTo(root, 6);
    expect(last[1]).toBeCloseTo(-root, 6);
    // s = 1 < c = 2: the only fixed point is 0.
    expect(Math.abs(last[2])).toBeLessThan(1e-6);
    expect(Math.abs(last[3])).toBeLessThan(1e-6);
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
