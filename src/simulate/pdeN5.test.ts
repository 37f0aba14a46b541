import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import { countNonZero } from "./connectivity.js";
import { buildConnectivity } from "./generate.js";
import { neuronTypes } from "./neurons.js";
import { PdeN5Integrator, PdeN5Rhs, pdeN5NeuronParams } from "./pdeN5.js";

const PARAMS = [
  [1, 0, 10, 1, 1, 0],
  [1, 0, 10, 2, 2, 0],
  [2, 0, 10, 1, 4, 0],
  [2, 0, 10, 2, 8, 0],
];

describe("PDE_N5 simulation", () => {
  it("one matvec per receiver width equals the plain per-edge sum", () => {
    const N = 12;
    const types = neuronTypes(N, 4);
    const W = Float32Array.from({ length: N * N }, (_, k) => (Math.floor(k / N) === k % N ? 0 : Math.sin(3.1 * k) / 4));
    const p = pdeN5NeuronParams(types, PARAMS);
    const x = Float64Array.from({ length: N }, (_, i) => 6 * Math.cos(1.3 * i + 0.2));
    const d = new Float64Array(N);
    new PdeN5Rhs(W, p).derivative(x, d);
    for (let i = 0; i < N; i++) {
      const [a, b, g, s, wi] = PARAMS[types[i]];
      let m = 0;
      for (let j = 0; j < N; j++) {
        const [, , , , wj, hj] = PARAMS[types[j]];
        if (j !== i) m += W[i * N + j] * (Math.tanh((x[j] - hj) / wi) - (x[j] * Math.log(wj)) / 50);
      }
      expect(d[i]).toBeCloseTo(-a * x[i] + b + s * Math.tanh(x[i]) + g * m, 10);
    }
  });

  it("the integrator records x and dx/dt before each step; the paper's W gives the reported activity scale", () => {
    // configs/signal_fig_supp_14.yaml loads the reference's shipped W (973,460 non-zeros, spec §3.1).
    const { W } = buildConnectivity(loadConfig(join(ROOT, "configs", "signal_fig_supp_14.yaml")));
    expect(countNonZero(W)).toBe(973_460);
    const N = 1000;
    const types = neuronTypes(N, 4);
    const x0 = Float32Array.from({ length: N }, (_, i) => 5 * Math.sin(7.7 * i));
    const integ = new PdeN5Integrator(W, pdeN5NeuronParams(types, PARAMS), x0, 500, 0.01);
    integ.run(2, true);
    const X = integ.framesX(2);
    const Y = integ.framesY(2);
    expect(Array.from(X.subarray(0, N))).toEqual(Array.from(x0));
    for (let i = 0; i < N; i += 97) expect(X[N + i]).toBeCloseTo(x0[i] + 0.01 * Y[i], 4);
    for (let k = 0; k < 2; k++) integ.run(500, false);
    integ.run(500, true);
    const Xs = integ.framesX(500);
    let s = 0;
    let s2 = 0;
    for (const v of Xs) {
      s += v;
      s2 += v * v;
    }
    const std = Math.sqrt(s2 / Xs.length - (s / Xs.length) ** 2);
    // Spec: std x ≈ 6.4 over 20,001 frames of the shipped W; a short window after 1,000 steps.
    expect(std).toBeGreaterThan(4);
    expect(std).toBeLessThan(9);
  });
});
