/**
 * PDE_N2, the true system of Figure 2, in plain TypeScript (the obviously-correct reference for the
 * WebAssembly kernel, float64 arithmetic):
 *   dx_i/dt = −c_i x_i + s_i tanh(x_i) + g_i Σ_j W_ij tanh(x_j)
 */
import type { NeuronParams } from "./neurons.js";

/** dxdt[i] = −c_i x_i + s_i tanh(x_i) + g_i (W tanh(x))_i. W: [N, N] row = receiving neuron. */
export function pdeN2Derivative(W: Float32Array, p: NeuronParams, x: ArrayLike<number>, dxdt: Float32Array | Float64Array): void {
  const N = x.length;
  const t = new Float64Array(N);
  for (let j = 0; j < N; j++) t[j] = Math.tanh(x[j]);
  for (let i = 0; i < N; i++) {
    let m = 0;
    const row = i * N;
    for (let j = 0; j < N; j++) m += W[row + j] * t[j];
    dxdt[i] = -p.c[i] * x[i] + p.s[i] * t[i] + p.g[i] * m;
  }
}

/** One explicit Euler step in place: x ← x + dt·f(x). Returns f(x) in `dxdt`. */
export function pdeN2EulerStep(W: Float32Array, p: NeuronParams, x: Float64Array, dxdt: Float64Array, dt: number): void {
  pdeN2Derivative(W, p, x, dxdt);
  for (let i = 0; i < x.length; i++) x[i] += dt * dxdt[i];
}
