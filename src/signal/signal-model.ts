/**
 * The seam for signal models, keyed by graph_model.signal_model_name. Everything that differs
 * between PDE_N2, PDE_N4, PDE_N5 and the models with external inputs is asked of one
 * `SignalModel`: the true system (its right-hand side and parameters per type), the GNN's form
 * (which inputs psi* sees, hence the model shape), the loss terms its training implements, and
 * the true curves and W correction of the evaluation. A new model is a new file in this folder
 * (with its simulation and kernels in simulate/ and model/) and one line in registry.ts.
 */
import type { Config } from "../config/schema.js";
import type { ModelShape } from "../model/params.js";
import type { SimulationModel, TypeParams } from "../simulate/neurons.js";

export type { TypeParams } from "../simulate/neurons.js";

/**
 * What psi* sees for the message from j to i: PDE_N2 x_j (evaluated once per neuron and frame);
 * PDE_N4 [x_j, a_j] (still per neuron, gradients into a through psi*); PDE_N5 [x_j, a_i, a_j]
 * (once per connection).
 */
export type PsiInput = "x_j" | "x_j,a_j" | "x_j,a_i,a_j";

/** The true system on a fixed network, float64: one explicit Euler step x ← x + dt·f(x), f(x) in dxdt. */
export interface TrueSystem {
  step(x: Float64Array, dxdt: Float64Array, dt: number): void;
}

/** A signal model; as a SimulationModel it gives `generate` its name, parameter names and per-neuron parameters. */
export interface SignalModel extends SimulationModel {
  readonly psiInput: PsiInput;
  /** Config keys of the loss terms the training of this model implements (any other non-zero coeff_ is refused). */
  readonly lossTerms: readonly (keyof Config["training"] & `coeff_${string}`)[];
  /** The GNN's tensors for N neurons (the MLP widths follow psiInput). */
  modelShape(N: number, gm: Config["graph_model"]): ModelShape;
  /** The true system with connectivity W [N, N] (row = receiving) and neuron types. */
  trueSystem(W: Float32Array, types: Int32Array, params: TypeParams): TrueSystem;
  /** The true update function phi(x) of a type (the grey curves of the phi* panel, phi* RMSE). */
  truePhi(x: number, typeParams: readonly number[]): number;
  /** The true transfer function psi(x) of a sending type (the grey curves of the psi* panel); PDE_N5: of the same-type pair. */
  truePsi(x: number, typeParams: readonly number[]): number;
  /** PDE_N5: the true message function of a (receiving type, sending type) pair. */
  truePsiPair?(x: number, receiver: readonly number[], sender: readonly number[]): number;
  /** g of the W correction W*·ψ̄/g (the coupling gain of the true message). */
  correctionGain(params: TypeParams): number;
}
