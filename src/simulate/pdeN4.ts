/**
 * PDE_N4, the true system of Supp Fig 13 (heterogeneous transfer functions), params[type] =
 * [a, b, g, s, w, h]:
 *   dx_i/dt = −a_i x_i + b_i + s_i tanh(x_i) + g_i Σ_{j≠i} W_ij tanh((x_j − h_j)/w_j)
 * w and h are the SENDER's (the reference's code; its notebook text writes the receiver's width).
 * The fast integrators take these as NeuronParams with c = a and a `transfer`; this file is the
 * plain float64 reference.
 */
import type { NeuronParams, SimulationModel, TypeParams } from "./neurons.js";

/** Per-neuron parameters (each [N]) from params[type] = [a, b, g, s, w, h]. */
export function pdeN4NeuronParams(types: Int32Array, params: TypeParams): NeuronParams {
  const col = (k: number) => Float32Array.from(types, (t) => params[t][k]);
  if (col(4).some((w) => w === 0 || !Number.isFinite(w)))
    throw new Error("PDE_N4: every type's width w must be finite and non-zero");
  return { c: col(0), g: col(2), s: col(3), transfer: { b: col(1), w: col(4), h: col(5) } };
}

/** PDE_N4's simulation: params [a, b, g, s, w, h]. */
export const PDE_N4_SIMULATION: SimulationModel = {
  name: "PDE_N4",
  paramNames: ["a", "b", "g", "s", "w", "h"],
  neuronParams: pdeN4NeuronParams,
};

/** The true update function of a type: phi(x) = −a·x + b + s·tanh(x) (the reference draws it without b, which is 0 in its configs). */
export function pdeN4Phi(x: number, p: readonly number[]): number {
  return -p[0] * x + p[1] + p[3] * Math.tanh(x);
}

/** The true transfer function of a sending type: psi(x) = tanh((x − h)/w). */
export function pdeN4Psi(x: number, p: readonly number[]): number {
  return Math.tanh((x - p[5]) / p[4]);
}

/**
 * dxdt[i] = −a_i x_i + b_i + s_i tanh(x_i) + g_i (Ω_i Σ_j W_ij tanh((x_j − h_j)/w_j)), float64;
 * Ω_i = 1 without `omega` (Figure 3's multiplicative external input: omega [N]).
 * W: [N, N] row = receiving neuron (its diagonal is 0 for the simulated networks).
 */
export function pdeN4Derivative(
  W: Float32Array,
  p: NeuronParams,
  x: ArrayLike<number>,
  dxdt: Float32Array | Float64Array,
  omega?: ArrayLike<number>,
): void {
  const N = x.length;
  const tr = p.transfer;
  if (!tr) throw new Error("pdeN4Derivative: the parameters have no transfer (b, w, h)");
  const t = new Float64Array(N);
  for (let j = 0; j < N; j++) t[j] = Math.tanh((x[j] - tr.h[j]) / tr.w[j]);
  for (let i = 0; i < N; i++) {
    let m = 0;
    const row = i * N;
    for (let j = 0; j < N; j++) m += W[row + j] * t[j];
    if (omega) m *= omega[i];
    dxdt[i] = -p.c[i] * x[i] + tr.b[i] + p.s[i] * Math.tanh(x[i]) + p.g[i] * m;
  }
}

/** One explicit Euler step in place: x ← x + dt·f(x) (f with the external input `omega` [N], if any). Returns f(x) in `dxdt`. */
export function pdeN4EulerStep(
  W: Float32Array,
  p: NeuronParams,
  x: Float64Array,
  dxdt: Float64Array,
  dt: number,
  omega?: ArrayLike<number>,
): void {
  pdeN4Derivative(W, p, x, dxdt, omega);
  for (let i = 0; i < x.length; i++) x[i] += dt * dxdt[i];
}
