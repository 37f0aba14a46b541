/**
 * Where the trainer's Ω [B, N] comes from with an external input (Figure 3, multiplicative:
 * dx̂_i/dt = phi*([x_i, a_i]) + Ω_i(k) Σ_j W_ij psi*([x_j, a_j])). The GNN's Workspace holds Ω and,
 * after lossAndGrad, dL/dΩ = G ⊙ M (model/gnn.ts).
 *
 * - Known input (training.learn_external_input false, the spec's stage "known input"): Ω of frame
 *   k is the dataset's external_input.npy row k for the input neurons, 1 for the others.
 * - Learned input (learn_external_input true): Ω*_p(k) = f_p(k/n_frames)² for the P = width²
 *   input neurons (model/siren-learner.ts; f the SIREN of graph_model's *_nnr_f keys and omega_f,
 *   initialised from the training seed, stream STREAMS.sirenInit), 1 for the others. After each
 *   lossAndGrad the learner gets dL/dΩ*[b, p] = dL/dΩ[b, p] (p < P) and takes its own Adam step
 *   (lr training.learning_rate_NNR_f; never reset at epoch ends, spec models-n4-n5 §5.5). Its state
 *   is saved next to each GNN checkpoint and resume state (sirenFileName, run-folder/layout.ts).
 */
import { existsSync } from "node:fs";
import { ConfigError } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { Arr, Backend } from "../kernels/backend.js";
import { referenceSirenKernels } from "../kernels/siren.js";
import { SirenLearner, loadSirenLearner, saveSirenLearner } from "../model/siren-learner.js";
import { initSiren, sirenShape } from "../model/siren.js";
import { sirenFileName } from "../run-folder/layout.js";
import type { TrainingData } from "./data.js";

export interface OmegaSource {
  /** omega[b, :] = Ω of frame ks[b], omega: [B, N]. */
  fill(ks: readonly number[], omega: Arr): void;
  /** After lossAndGrad (and the GNN's Adam step): dL/dΩ [B, N] for a learned Ω*, which then takes its own step. */
  learn?(dOmega: Arr, ks: readonly number[]): void;
  /** The learned Ω* (absent with a known input). */
  learner?: SirenLearner;
}

/** The side of the input grid of n input neurons (a square), or a ConfigError naming `file` and the key. */
export function inputGridWidth(nInput: number, file: string): number {
  const width = Math.round(Math.sqrt(nInput));
  if (width * width !== nInput)
    throw new ConfigError(
      `${file}: simulation.n_input_neurons = ${nInput} is not a square: the learned Ω* (training.learn_external_input) lives on a width×width grid`,
    );
  return width;
}

/** The SIREN Ω* learner of `config` for `nInput` input neurons, on `backend`'s SIREN kernels (else the float32 reference). */
export function sirenLearnerOf(
  config: Config,
  nInput: number,
  seed: number,
  backend: Backend | undefined,
  file: string,
): SirenLearner {
  const width = inputGridWidth(nInput, file);
  const siren = initSiren(sirenShape(config.graph_model), seed);
  const kernels = backend?.siren ?? referenceSirenKernels("f32");
  return new SirenLearner(siren, width, config.simulation.n_frames, config.training.learning_rate_NNR_f, kernels);
}

/**
 * The Ω source of a training, or undefined without an external input. `file` names the config in
 * errors; `backend` (its SIREN kernels) and `seed` (the SIREN's init) serve a learned Ω*.
 */
export function omegaSourceOf(
  config: Config,
  data: TrainingData,
  file: string,
  learned: { backend?: Backend; seed: number } = { seed: 0 },
): OmegaSource | undefined {
  if (config.simulation.external_input_type === "none") return undefined;
  const { omega, nInput, N } = data;
  if (nInput === undefined || (!omega && !config.training.learn_external_input)) {
    throw new ConfigError(
      `${file}: simulation.external_input_type is ${JSON.stringify(config.simulation.external_input_type)} but the dataset ${data.dir} has no external input (external_input.npy)`,
    );
  }
  if (config.training.learn_external_input)
    return learnedSource(sirenLearnerOf(config, nInput, learned.seed, learned.backend, file), N);
  const known = omega as Float32Array;
  return {
    fill(ks, out) {
      ks.forEach((k, b) => {
        out.set(known.subarray(k * nInput, (k + 1) * nInput), b * N);
        out.fill(1, b * N + nInput, (b + 1) * N);
      });
    },
  };
}

/** Ω [B, N] from the learner: Ω*[b, p] for p < P, 1 after; learn gathers dL/dΩ*[b, p] and steps. */
function learnedSource(learner: SirenLearner, N: number): OmegaSource {
  const P = learner.P;
  let dStar = new Float32Array(0);
  return {
    learner,
    fill(ks, out) {
      const star = learner.forward(ks);
      ks.forEach((_, b) => {
        out.set(star.subarray(b * P, (b + 1) * P), b * N);
        out.fill(1, b * N + P, (b + 1) * N);
      });
    },
    learn(dOmega, ks) {
      const B = ks.length;
      if (dStar.length !== B * P) dStar = new Float32Array(B * P);
      for (let b = 0; b < B; b++) dStar.set(dOmega.subarray(b * N, b * N + P), b * P);
      learner.backward(dStar);
      learner.step();
    },
  };
}

/** Saves the learned Ω* (if any) next to the GNN file `gnnPath` (its sirenFileName). */
export function saveOmegaLearner(source: OmegaSource | undefined, gnnPath: string, metadata: Record<string, string> = {}): void {
  if (source?.learner) saveSirenLearner(sirenFileName(gnnPath), source.learner, { format: "neural-gnn-siren", ...metadata });
}

/**
 * Restores the learned Ω* (if any) saved next to the GNN file `gnnPath`; `adamSteps` is the number
 * of learner steps the GNN's state implies (one per iteration), checked against the file.
 */
export function loadOmegaLearner(source: OmegaSource | undefined, gnnPath: string, adamSteps: number): void {
  if (!source?.learner) return;
  const path = sirenFileName(gnnPath);
  if (!existsSync(path)) throw new Error(`${path}: the learned Ω* of ${gnnPath} is missing (training.learn_external_input)`);
  loadSirenLearner(path, source.learner);
  if (source.learner.t !== adamSteps)
    throw new Error(`${path}: the Ω* learner took ${source.learner.t} steps, ${gnnPath} ${adamSteps}; start over with --force`);
}
