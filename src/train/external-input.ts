/**
 * Where the trainer's Ω [B, N] comes from with an external input (Figure 3, multiplicative:
 * dx̂_i/dt = phi*([x_i, a_i]) + Ω_i(k) Σ_j W_ij psi*([x_j, a_j])). The GNN's Workspace holds Ω and,
 * after lossAndGrad, dL/dΩ = G ⊙ M (model/gnn.ts).
 *
 * - Known input (training.learn_external_input false, the spec's stage "known input"): Ω of frame
 *   k is the dataset's external_input.npy row k for the input neurons, 1 for the others.
 * - Learned input (learn_external_input true): Ω*_i(k) = SIREN(r_i, c_i, k/n_frames)² for the
 *   input neurons. THIS IS WHERE model/siren-learner.ts's SirenLearner PLUGS IN: in
 *   `omegaSourceOf`, instead of the refusal, with
 *     learner = new SirenLearner(siren, width, n_frames, training.learning_rate_NNR_f)
 *   (siren: graph_model's *_nnr_f sizes and omega_f; width: the input grid's side)
 *   return
 *     { fill: (ks, omega) => copy learner.forward(ks) [B, P] into omega[b, 0 … P), 1 after,
 *       learn: (dOmega) => { learner.backward(dOmega[b, 0 … P) gathered as [B, P]); learner.step(); } }
 *   (its own Adam, never reset at epoch ends, spec models-n4-n5 §5.5); drop the refusal in
 *   config/load.ts requireTrainable; save the learner with the GNN's checkpoints
 *   (saveSirenLearner) and score Ω* in the evaluation (analysis/siren-score.ts).
 */
import { ConfigError } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { Arr } from "../kernels/backend.js";
import type { TrainingData } from "./data.js";

export interface OmegaSource {
  /** omega[b, :] = Ω of frame ks[b], omega: [B, N]. */
  fill(ks: readonly number[], omega: Arr): void;
  /** After lossAndGrad (and the GNN's Adam step): dL/dΩ [B, N] for a learned Ω*, which then takes its own step. */
  learn?(dOmega: Arr, ks: readonly number[]): void;
}

/** The Ω source of a training, or undefined without an external input. `file` names the config in errors. */
export function omegaSourceOf(config: Config, data: TrainingData, file: string): OmegaSource | undefined {
  if (config.simulation.external_input_type === "none") return undefined;
  if (config.training.learn_external_input) {
    throw new ConfigError(`${file}: training.learn_external_input: true (SIREN Ω* training) is not implemented yet`);
  }
  const { omega, nInput, N } = data;
  if (!omega || nInput === undefined) {
    throw new ConfigError(
      `${file}: simulation.external_input_type is ${JSON.stringify(config.simulation.external_input_type)} but the dataset ${data.dir} has no external input (external_input.npy)`,
    );
  }
  return {
    fill(ks, out) {
      ks.forEach((k, b) => {
        out.set(omega.subarray(k * nInput, (k + 1) * nInput), b * N);
        out.fill(1, b * N + nInput, (b + 1) * N);
      });
    },
  };
}
