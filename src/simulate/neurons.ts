/**
 * Neuron types and the per-neuron parameters of the fast integrators: PDE_N2's params[type] =
 * [g, s, c] with c = 1/τ; PDE_N4 adds a drive b and the sender's transfer width w and threshold h
 * (pdeN4.ts).
 */
import { ConfigError } from "../config/load.js";
import type { PdeN2Engine } from "./engine.js";

/** Types in contiguous blocks of floor(N/K); a remainder gets the last type. Int32 [N]. */
export function neuronTypes(N: number, K: number): Int32Array {
  const block = Math.floor(N / K);
  const types = new Int32Array(N);
  for (let i = 0; i < N; i++) types[i] = block > 0 ? Math.min(Math.floor(i / block), K - 1) : K - 1;
  return types;
}

/** Per-neuron parameters, each [N]: dx_i/dt = −c_i x_i (+ b_i) + s_i tanh(x_i) + g_i Σ_j W_ij ψ_j(x_j). */
export interface NeuronParams {
  g: Float32Array;
  s: Float32Array;
  c: Float32Array;
  /**
   * PDE_N4: b_i, and ψ_j(x) = tanh((x − h_j)/w_j) (absent: b = 0, ψ_j = tanh, PDE_N2). With
   * `receiver` (PDE_N5) the width is the receiver's instead and the sender adds −x_j ln(w_j)/50;
   * only the model's own integrator (SimulationModel.integrator) takes those.
   */
  transfer?: { b: Float32Array; w: Float32Array; h: Float32Array; receiver?: true };
}

/** Rows of simulation.params: one per neuron type. */
export type TypeParams = readonly (readonly number[])[];

/** What `generate` needs of a signal model (signal/ implements it): its name, parameter names and per-neuron parameters. */
export interface SimulationModel {
  readonly name: string;
  /** The names of a row of simulation.params, e.g. [g, s, c] for PDE_N2. */
  readonly paramNames: readonly string[];
  /** The fast integrators' per-neuron parameters from the per-type table. */
  neuronParams(types: Int32Array, params: TypeParams): NeuronParams;
  /** The model's own integrator (PDE_N5), used by `generate` instead of the PDE_N2/N4 kernels (no external input). */
  integrator?: PdeN2Engine["integrator"];
}

/**
 * simulation.params of `file` for `model`: one row of model.paramNames per type, at least
 * n_neuron_types rows; else a ConfigError naming the row and the expected names.
 */
export function requireParams(
  model: Pick<SimulationModel, "name" | "paramNames">,
  sim: { params: TypeParams; n_neuron_types: number },
  file: string,
): void {
  for (const [i, p] of sim.params.entries()) {
    if (p.length !== model.paramNames.length)
      throw new ConfigError(
        `${file}: simulation.params[${i}] must be [${model.paramNames.join(", ")}] for ${model.name}, got ${p.length} values`,
      );
  }
  if (sim.params.length < sim.n_neuron_types) {
    throw new ConfigError(`${file}: simulation.params has ${sim.params.length} rows but n_neuron_types is ${sim.n_neuron_types}`);
  }
}

/** PDE_N2's per-neuron g, s, c (each [N]) from the per-type table params[type] = [g, s, c]. */
export function neuronParams(types: Int32Array, params: TypeParams): NeuronParams {
  const N = types.length;
  const g = new Float32Array(N);
  const s = new Float32Array(N);
  const c = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const p = params[types[i]];
    g[i] = p[0];
    s[i] = p[1];
    c[i] = p[2];
  }
  return { g, s, c };
}

/** PDE_N2's simulation: params [g, s, c]. */
export const PDE_N2_SIMULATION: SimulationModel = { name: "PDE_N2", paramNames: ["g", "s", "c"], neuronParams };

/** The true update function of a PDE_N2 type: phi(x) = −c·x + s·tanh(x). */
export function truePhi(x: number, p: readonly number[]): number {
  return -p[2] * x + p[1] * Math.tanh(x);
}
