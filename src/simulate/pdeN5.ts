/**
 * PDE_N5, the true system of Supp Fig 14 (neuron-neuron transfer functions), params[type] =
 * [a, b, g, s, w, h] as PDE_N4's, but the message's width is the RECEIVER's and a linear leak the
 * sender's:
 *   dx_i/dt = −a_i x_i + b_i + s_i tanh(x_i) + g_i Σ_{j≠i} W_ij [tanh((x_j − h_j)/w_i) − θ_j x_j],
 *   θ_j = ln(w_j)/50.
 * Exact and cheap: per step, T_k[j] = tanh((x_j − h_j)/w_k) for each distinct width w_k (K·N
 * tanh), then one pass over W, row i reading T_{k(i)} − θ⊙x. That is N² multiply-adds per step, the
 * cost of PDE_N2's matvec; `PdeN5Integrator` runs it in plain TypeScript (float64 arithmetic,
 * float32 state and W), which keeps up with the memory-bound WebAssembly matvec within a small
 * factor and needs no new kernel.
 */
import type { PdeN2Stepper } from "./engine.js";
import type { NeuronParams, SimulationModel, TypeParams } from "./neurons.js";

/** Per-neuron parameters (each [N]) from params[type] = [a, b, g, s, w, h]; transfer.receiver marks PDE_N5. */
export function pdeN5NeuronParams(types: Int32Array, params: TypeParams): NeuronParams {
  const col = (k: number) => Float32Array.from(types, (t) => params[t][k]);
  if (col(4).some((w) => !(w > 0) || !Number.isFinite(w)))
    throw new Error("PDE_N5: every type's width w must be finite and positive (θ = ln(w)/50)");
  return { c: col(0), g: col(2), s: col(3), transfer: { b: col(1), w: col(4), h: col(5), receiver: true } };
}

/** The true update function of a type: phi(x) = −a·x + b + s·tanh(x). */
export function pdeN5Phi(x: number, p: readonly number[]): number {
  return -p[0] * x + p[1] + p[3] * Math.tanh(x);
}

/** The true message function of a (receiving type pi, sending type pj) pair: tanh((x − h_j)/w_i) − x·ln(w_j)/50. */
export function pdeN5PsiPair(x: number, pi: readonly number[], pj: readonly number[]): number {
  return Math.tanh((x - pj[5]) / pi[4]) - (x * Math.log(pj[4])) / 50;
}

/** The float64 right-hand side of one state: see the file's comment. W: [N, N], row = receiving. */
export class PdeN5Rhs {
  readonly N: number;
  /** The distinct receiver widths and each neuron's index into them. */
  private readonly widths: number[];
  private readonly widthOf: Int32Array;
  private readonly T: Float64Array[];
  private readonly theta: Float64Array;

  constructor(
    private readonly W: Float32Array,
    private readonly p: NeuronParams,
  ) {
    const tr = p.transfer;
    if (!tr?.receiver) throw new Error("PdeN5Rhs: the parameters are not PDE_N5's (transfer.receiver)");
    const N = p.c.length;
    this.N = N;
    this.widths = [...new Set(tr.w)];
    this.widthOf = Int32Array.from(tr.w, (w) => this.widths.indexOf(w));
    this.T = this.widths.map(() => new Float64Array(N));
    this.theta = Float64Array.from(tr.w, (w) => Math.log(w) / 50);
  }

  /** dxdt = f(x). */
  derivative(x: ArrayLike<number>, dxdt: Float32Array | Float64Array): void {
    const { N, W, p } = this;
    const tr = p.transfer!;
    for (let k = 0; k < this.widths.length; k++) {
      const T = this.T[k];
      const w = this.widths[k];
      for (let j = 0; j < N; j++) T[j] = Math.tanh((x[j] - tr.h[j]) / w);
    }
    // T_k ← T_k − θ⊙x, so that row i is one dot product, less its diagonal term (0: W_ii = 0 in the simulated networks).
    for (const T of this.T) for (let j = 0; j < N; j++) T[j] -= this.theta[j] * x[j];
    for (let i = 0; i < N; i++) {
      const T = this.T[this.widthOf[i]];
      const row = i * N;
      let m = 0;
      for (let j = 0; j < N; j++) m += W[row + j] * T[j];
      m -= W[row + i] * T[i];
      dxdt[i] = -p.c[i] * x[i] + tr.b[i] + p.s[i] * Math.tanh(x[i]) + p.g[i] * m;
    }
  }
}

/** One explicit Euler step in place: x ← x + dt·f(x). Returns f(x) in `dxdt`. */
export function pdeN5EulerStep(rhs: PdeN5Rhs, x: Float64Array, dxdt: Float64Array, dt: number): void {
  rhs.derivative(x, dxdt);
  for (let i = 0; i < x.length; i++) x[i] += dt * dxdt[i];
}

/**
 * `generate`'s integrator of PDE_N5 (the PdeN2Stepper interface): float64 arithmetic on a float32
 * state (the fast integrators' storage), x ← x + dt·f(x) (+ noiseLevel·noise[k, i]), recording x
 * and f(x) before each step.
 */
export class PdeN5Integrator implements PdeN2Stepper {
  readonly N: number;
  private readonly rhs: PdeN5Rhs;
  private readonly x: Float32Array;
  private readonly d: Float64Array;
  private readonly outX: Float32Array;
  private readonly outY: Float32Array;
  private readonly noise: Float32Array;

  constructor(
    W: Float32Array,
    p: NeuronParams,
    x0: ArrayLike<number>,
    readonly maxChunk: number,
    private readonly dt: number,
    private readonly noiseLevel = 0,
  ) {
    this.rhs = new PdeN5Rhs(W, p);
    const N = this.rhs.N;
    this.N = N;
    this.x = Float32Array.from(x0);
    this.d = new Float64Array(N);
    this.outX = new Float32Array(maxChunk * N);
    this.outY = new Float32Array(maxChunk * N);
    this.noise = new Float32Array(noiseLevel > 0 ? maxChunk * N : 0);
  }

  state(): Float32Array {
    return this.x;
  }
  framesX(frames: number): Float32Array {
    return this.outX.subarray(0, frames * this.N);
  }
  framesY(frames: number): Float32Array {
    return this.outY.subarray(0, frames * this.N);
  }
  noiseBuffer(frames: number): Float32Array {
    if (this.noiseLevel <= 0) throw new Error("no process noise configured");
    return this.noise.subarray(0, frames * this.N);
  }
  /** An external input is PDE_N4's only (config/load.ts refuses it for PDE_N5). */
  omegaBuffer(): Float32Array {
    throw new Error("PDE_N5 takes no external input");
  }

  /** Advance `steps` (≤ maxChunk) Euler steps; with `save`, record x and dx/dt before each step. */
  run(steps: number, save: boolean): void {
    if (steps > this.maxChunk) throw new Error(`chunk of ${steps} frames exceeds ${this.maxChunk}`);
    const { N, x, d } = this;
    for (let k = 0; k < steps; k++) {
      this.rhs.derivative(x, d);
      if (save) {
        this.outX.set(x, k * N);
        for (let i = 0; i < N; i++) this.outY[k * N + i] = d[i];
      }
      for (let i = 0; i < N; i++) {
        const n = this.noiseLevel > 0 ? this.noiseLevel * this.noise[k * N + i] : 0;
        x[i] = x[i] + this.dt * d[i] + n;
      }
    }
  }
}

/** PDE_N5's simulation: params [a, b, g, s, w, h], integrated by PdeN5Integrator. */
export const PDE_N5_SIMULATION: SimulationModel = {
  name: "PDE_N5",
  paramNames: ["a", "b", "g", "s", "w", "h"],
  neuronParams: pdeN5NeuronParams,
  integrator: (W, p, x0, maxChunk, dt, noiseLevel) => new PdeN5Integrator(W, p, x0, maxChunk, dt, noiseLevel),
};
