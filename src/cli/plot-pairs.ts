/** `plot`'s PDE_N5 part: the neuron-neuron transfer functions (Supp Fig 14h) and their numbers. */
import { type PsiPairs, psiPairs, wR2ByTypePair } from "../analysis/psi-pairs.js";
import type { Backend } from "../kernels/backend.js";
import type { ParamSet } from "../model/params.js";
import { psiPairsPanel } from "../plot/psi-pairs.js";
import type { FigureId } from "../run-folder/figures.js";
import type { PsiPairsResults } from "../run-folder/files.js";
import type { TrainedRun } from "./trained-run.js";

/** Seed of the pair draws (the reference's are unseeded). */
const PAIRS_SEED = 0;

/**
 * For a model whose psi* takes [x_j, a_i, a_j] and a dataset with true types: the pair curves,
 * figure supp14h_psi_pairs, and the numbers of results/metrics.json (functions.psi_pairs); else
 * undefined.
 */
export async function plotPsiPairs(
  run: Pick<TrainedRun, "shape" | "truth" | "params" | "model">,
  backend: Backend,
  p: ParamSet,
  save: (id: FigureId, draw: () => string) => Promise<void>,
  log: (s: string) => void,
): Promise<PsiPairsResults | undefined> {
  const { truth, params, model } = run;
  const pair = model.truePsiPair;
  if (!run.shape.psiPairs || !pair || !truth.types || !truth.nTypes) return undefined;
  const truthOf = (k: number, n: number) => (x: number) => pair(x, params[k], params[n]);
  const pp: PsiPairs = psiPairs(backend, p, truth.types, truth.nTypes, truthOf, { seed: PAIRS_SEED });
  await save("supp14h_psi_pairs", () => psiPairsPanel(pp.r, pp.curves, truthOf));
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "—");
  log(`ψ* of neuron pairs: width by receiving type (fit k·tanh(x/w), type-0 senders) ${pp.width.map(f).join(", ")}`);
  log(`  RMSE by (receiving, sending) type: ${pp.rmse.map((row) => row.map(f).join(" ")).join(" | ")}`);
  const blocks = truth.W ? wR2ByTypePair(p.W, truth.W, truth.types, truth.nTypes) : undefined;
  if (blocks) log(`W R² (raw) by (receiving, sending) type: ${blocks.map((row) => row.map(f).join(" ")).join(" | ")}`);
  return {
    receiver_width: pp.width,
    true_receiver_width: params.slice(0, truth.nTypes).map((row) => row[4]),
    correction: pp.correction,
    rmse: pp.rmse,
    range: pp.range,
    pairs: pp.pairs,
    seed: pp.seed,
    ...(blocks ? { W_r2_by_type_pair: blocks } : {}),
  };
}
