import { describe, expect, it } from "vitest";
import { allclose, testOmega, useEngines } from "../../test/helpers.js";
import { Rng } from "../core/rng.js";
import type { WasmEngine } from "../kernels/wasm/engine.js";
import { drawConnectivity } from "./connectivity.js";
import { PdeN2Integrator } from "./integrate.js";
import { type NeuronParams, neuronParams, neuronTypes } from "./neurons.js";
import { pdeN2EulerStep } from "./pdeN2.js";
import { pdeN4EulerStep, pdeN4NeuronParams } from "./pdeN4.js";

const PARAMS = [
  [10, 1, 1],
  [10, 2, 1],
  [10, 1, 2],
  [10, 2, 2],
];

/** Supp Fig 13's [a, b, g, s, w, h], with a drive b and thresholds h ≠ 0 in two types. */
const PARAMS_N4 = [
  [1, 0, 10, 1, 1, 0],
  [1, 0.5, 10, 2, 2, 0.3],
  [2, 0, 10, 1, 4, -1],
  [2, 0, 10, 2, 8, 0],
];

function problem(N: number, seed: number, n4 = false) {
  const W = drawConnectivity("Lorentz", N, seed);
  const types = neuronTypes(N, 4);
  const p: NeuronParams = n4 ? pdeN4NeuronParams(types, PARAMS_N4) : neuronParams(types, PARAMS);
  const x0 = new Float32Array(N);
  new Rng(seed, 9).fillNormal(x0, 5);
  return { W, p, x0 };
}

/** Run `steps` steps on the engine, recording every frame; returns [x frames, y frames, final x]. */
function runWasm(
  engine: WasmEngine,
  N: number,
  seed: number,
  steps: number,
  chunk: number,
  noise = 0,
  n4 = false,
  omega = false,
) {
  const { W, p, x0 } = problem(N, seed, n4);
  const mark = engine.mark();
  const integ = new PdeN2Integrator(engine, W, p, x0, chunk, 0.01, noise, omega);
  const X = new Float32Array(steps * N);
  const Y = new Float32Array(steps * N);
  for (let f = 0; f < steps; f += chunk) {
    const n = Math.min(chunk, steps - f);
    if (noise > 0) integ.noiseBuffer(n).fill(1);
    if (omega) {
      const O = integ.omegaBuffer(n);
      for (let k = 0; k < n; k++) for (let i = 0; i < N; i++) O[k * N + i] = testOmega(f + k, i);
    }
    integ.run(n, true);
    X.set(integ.framesX(n), f * N);
    Y.set(integ.framesY(n), f * N);
  }
  const xEnd = Float32Array.from(integ.state());
  engine.reset(mark);
  return { X, Y, xEnd };
}

describe("PDE_N2 on the WebAssembly engine", () => {
  const engines = useEngines();

  it("matches the plain float64 reference derivative and Euler step (N not a multiple of 4)", () => {
    const N = 37;
    const steps = 20;
    const { W, p, x0 } = problem(N, 5);
    const { X, Y } = runWasm(engines.e1, N, 5, steps, 8);
    const x = Float64Array.from(x0);
    const dxdt = new Float64Array(N);
    for (let k = 0; k < steps; k++) {
      const xk = Float64Array.from(x);
      pdeN2EulerStep(W, p, x, dxdt, 0.01);
      // Each step starts from the engine's own previous state, so errors do not compound.
      const fromEngine = Float64Array.from(X.subarray(k * N, (k + 1) * N));
      expect(allclose(X.subarray(k * N, (k + 1) * N), xk, 1e-4, 1e-4).ok).toBe(true);
      const ref = new Float64Array(N);
      pdeN2EulerStep(W, p, fromEngine, ref, 0.01);
      const r = allclose(Y.subarray(k * N, (k + 1) * N), ref, 1e-5, 2e-5);
      expect(r.ok, r.worst).toBe(true);
    }
  });

  it("stores x[t+1] = x[t] + dt·dxdt[t] exactly (float32)", () => {
    const N = 64;
    const { X, Y } = runWasm(engines.e1, N, 8, 50, 16);
    const dt = Math.fround(0.01);
    for (let k = 0; k + 1 < 50; k++) {
      for (let i = 0; i < N; i++) {
        expect(X[(k + 1) * N + i]).toBe(Math.fround(X[k * N + i] + Math.fround(dt * Y[k * N + i])));
      }
    }
  });

  it("gives identical results for 1 and 2 threads, any chunking, and across runs", () => {
    const a = runWasm(engines.e1, 203, 11, 300, 300);
    const b = runWasm(engines.e2, 203, 11, 300, 7);
    const c = runWasm(engines.e2, 203, 11, 300, 64);
    expect(b.X).toEqual(a.X);
    expect(c.Y).toEqual(a.Y);
    expect(c.xEnd).toEqual(a.xEnd);
  });

  it("adds process noise per step, not scaled by dt", () => {
    const a = runWasm(engines.e1, 16, 3, 1, 1, 0);
    const b = runWasm(engines.e1, 16, 3, 1, 1, 0.5);
    for (let i = 0; i < 16; i++) expect(b.xEnd[i]).toBeCloseTo(a.xEnd[i] + 0.5, 5);
  });
});

describe("PDE_N4 on the WebAssembly engine (the PDE_N2 kernel with the sender's transfer)", () => {
  const engines = useEngines();

  it("matches the plain float64 reference: −a x + b + s tanh x + g W tanh((x − h)/w) (N not a multiple of 4)", () => {
    const N = 37;
    const steps = 20;
    const { W, p } = problem(N, 5, true);
    const { X, Y } = runWasm(engines.e1, N, 5, steps, 8, 0, true);
    for (let k = 0; k < steps; k++) {
      const fromEngine = Float64Array.from(X.subarray(k * N, (k + 1) * N));
      const ref = new Float64Array(N);
      pdeN4EulerStep(W, p, fromEngine, ref, 0.01);
      const r = allclose(Y.subarray(k * N, (k + 1) * N), ref, 1e-5, 2e-5);
      expect(r.ok, r.worst).toBe(true);
      if (k + 1 < steps) expect(allclose(X.subarray((k + 1) * N, (k + 2) * N), fromEngine, 1e-5, 1e-5).ok).toBe(true);
    }
  });

  it("gives identical results for 1 and 2 threads and any chunking; differs from PDE_N2", () => {
    const a = runWasm(engines.e1, 203, 11, 200, 200, 0, true);
    const b = runWasm(engines.e2, 203, 11, 200, 7, 0, true);
    expect(b.X).toEqual(a.X);
    expect(b.xEnd).toEqual(a.xEnd);
    expect(runWasm(engines.e1, 203, 11, 200, 200).xEnd).not.toEqual(a.xEnd);
  });
});

describe("PDE_N4 with a multiplicative external input Ω (Figure 3) on the WebAssembly engine", () => {
  const engines = useEngines();

  it("matches the plain float64 reference −a x + b + s tanh x + g Ω_i Σ_j W_ij tanh((x_j − h_j)/w_j)", () => {
    const N = 37;
    const steps = 20;
    const { W, p } = problem(N, 5, true);
    const { X, Y } = runWasm(engines.e1, N, 5, steps, 8, 0, true, true);
    for (let k = 0; k < steps; k++) {
      const fromEngine = Float64Array.from(X.subarray(k * N, (k + 1) * N));
      const ref = new Float64Array(N);
      pdeN4EulerStep(
        W,
        p,
        fromEngine,
        ref,
        0.01,
        Float64Array.from({ length: N }, (_, i) => testOmega(k, i)),
      );
      const r = allclose(Y.subarray(k * N, (k + 1) * N), ref, 1e-5, 2e-5);
      expect(r.ok, r.worst).toBe(true);
    }
  });

  it("gives identical results for 1 and 2 threads and any chunking; Ω = 0 uncouples, Ω = 1 is PDE_N4", () => {
    const a = runWasm(engines.e1, 203, 11, 100, 100, 0, true, true);
    const b = runWasm(engines.e2, 203, 11, 100, 7, 0, true, true);
    expect(b.X).toEqual(a.X);
    expect(b.xEnd).toEqual(a.xEnd);
    expect(runWasm(engines.e1, 203, 11, 100, 100, 0, true).xEnd).not.toEqual(a.xEnd);
    // During the first 3 steps Ω = 0: dx/dt = −a x + b + s tanh x, no message.
    const { W, p } = problem(203, 11, true);
    const ref = new Float64Array(203);
    pdeN4EulerStep(W, p, Float64Array.from(a.X.subarray(0, 203)), ref, 0.01, new Float64Array(203));
    expect(allclose(a.Y.subarray(0, 203), ref, 1e-5, 2e-5).ok).toBe(true);
  });
});
