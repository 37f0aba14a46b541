/**
 * The rollout test and the generalisation experiment (Supp Figs 2, 5, 6) as pure functions: from
 * the same initial state the learned model and the true system are integrated side by side and
 * scored at steps 400 and 800 and every 10 steps; a generalisation case builds a modified network
 * (a fresh connectivity kept with probability ff, types re-assigned by percentages) and a copy of
 * the learned model given that network. Nothing here changes the trained parameters.
 */
import { connectivityFit } from "../core/regression.js";
import type { Backend } from "../kernels/backend.js";
import { ParamSet } from "../model/params.js";
import type { TrueSystem } from "../signal/signal-model.js";
import type { ConnectivityType } from "../simulate/connectivity.js";
import {
  type NewParams,
  type RolloutFit,
  copyEmbeddings,
  fitsOverTime,
  newConnectivity,
  reassignTypes,
  rolloutFit,
  rolloutLearned,
  rolloutTrue,
} from "./rollout.js";

/** The steps the paper shows. */
export const ROLLOUT_FRAMES = [400, 800] as const;

/** The scores of a comparison (results/metrics.json "rollout"; NaN where a step was not reached). */
export interface RolloutScores {
  steps: number;
  t400: { r2: number; slope: number; status: RolloutFit["status"] };
  t800: { r2: number; slope: number; status: RolloutFit["status"] };
  /** R² and slope every 10 steps. */
  every10: { step: number; r2: number; slope: number }[];
}

export interface RolloutComparison {
  /** States [(steps + 1), N] of the true system and of the learned model. */
  truth: Float32Array;
  learned: Float32Array;
  /** The full fits at steps 400 and 800 (with intercepts, for the panels). */
  fits: Record<(typeof ROLLOUT_FRAMES)[number], RolloutFit>;
  metrics: RolloutScores;
}

/** Integrate both from x0 for `steps` Euler steps of dt and score them. */
export function compareRollouts(
  backend: Backend,
  p: ParamSet,
  system: TrueSystem,
  x0: ArrayLike<number>,
  steps: number,
  dt: number,
): RolloutComparison {
  const N = p.shape.N;
  const truth = rolloutTrue(system, x0, steps, dt);
  const learned = rolloutLearned(backend, p, x0, steps, dt);
  const at = (step: number): RolloutFit =>
    step > steps
      ? { r2: Number.NaN, slope: Number.NaN, intercept: Number.NaN, status: "too few points" }
      : rolloutFit(truth.subarray(step * N, (step + 1) * N), learned.subarray(step * N, (step + 1) * N));
  const fits = { 400: at(400), 800: at(800) };
  const strip = ({ r2, slope, status }: RolloutFit) => ({ r2, slope, status });
  return {
    truth,
    learned,
    fits,
    metrics: {
      steps,
      t400: strip(fits[400]),
      t800: strip(fits[800]),
      every10: fitsOverTime(truth, learned, N, 10).map(({ step, fit }) => ({ step, r2: fit.r2, slope: fit.slope })),
    },
  };
}

export interface GeneralisationNetwork {
  /** The new true connectivity W [N, N] and types [N]. */
  W: Float32Array;
  types: Int32Array;
  nonZeros: number;
  /** A copy of the learned model with W* = W × the raw W slope and the copied embeddings. */
  model: ParamSet;
}

/**
 * Spec 6.2: a fresh `type` connectivity (own random streams) kept with probability ff, types
 * re-assigned in contiguous blocks, each neuron given the learned embedding of a random original
 * neuron of its new type, and the learned W replaced by the new W times the raw slope of the
 * learned against the true W.
 */
export function generalisationNetwork(
  backend: Backend,
  learned: ParamSet,
  trueW: Float32Array,
  types: Int32Array,
  c: NewParams,
  type: ConnectivityType,
  seed: number,
): GeneralisationNetwork {
  const { N, embeddingDim } = learned.shape;
  const slopeRaw = connectivityFit(learned.W, trueW, N).slope;
  const { W, nonZeros } = newConnectivity(type, N, seed, c.ff);
  const newTypes = reassignTypes(types, c.percentages);
  const model = new ParamSet(learned.shape, backend);
  model.data.set(learned.data);
  model.a.set(copyEmbeddings(learned.a, embeddingDim, types, newTypes, seed));
  for (let k = 0; k < W.length; k++) model.W[k] = W[k] * slopeRaw;
  return { W, types: newTypes, nonZeros, model };
}
