/**
 * Time to recover W: train a recipe on a dataset with ground truth, record the iterations and
 * seconds at which the W R² first reaches 0.9, 0.99 and 0.999 (checked every iterations/200), stop
 * at `stopAt`, and evaluate the model there (W fit, clusters, phi* RMSE, rollout R² at step 400).
 * What `npm run bench -- convergence` prints for each recipe.
 */
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import { round3 } from "../core/stats.js";
import type { Backend } from "../kernels/backend.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { ParamSet } from "../model/params.js";
import { checkpointName, interruptedName } from "../run-folder/layout.js";
import type { SignalModel, TypeParams } from "../signal/signal-model.js";
import type { TrainingData } from "../train/data.js";
import { makeSchedule } from "../train/schedule.js";
import { train } from "../train/trainer.js";
import { evalSettings, evaluate, truthFor } from "./evaluate.js";
import { compareRollouts } from "./generalisation.js";

export const R2_THRESHOLDS = ["0.9", "0.99", "0.999"] as const;
type Thresholds = Record<(typeof R2_THRESHOLDS)[number], number | null>;

export interface ConvergenceResult {
  iterations_to: Thresholds;
  seconds_to: Thresholds;
  final: {
    iterations: number;
    seconds: number;
    W_r2: number | null;
    slope: number | null;
    clustering_accuracy: number | null;
    /** Mean over types of the phi* RMSE against the true phi. */
    phi_rmse: number | null;
    psi_rmse: number;
    rollout_r2_400: number;
  };
}

export interface ConvergenceOptions {
  config: Config;
  model: SignalModel;
  data: TrainingData;
  params: TypeParams;
  backend: Backend;
  outDir: string;
  /** Iterations at most (one epoch of this length). */
  maxIterations: number;
  /** Stop once the W R² reaches this (default 0.999). */
  stopAt?: number;
}

export async function measureConvergence(o: ConvergenceOptions): Promise<ConvergenceResult> {
  const { config, data, backend } = o;
  if (!data.W || !data.types || !data.nTypes) throw new Error(`${data.dir}: convergence needs the true W and neuron types`);
  const stopAt = o.stopAt ?? 0.999;
  const schedule = makeSchedule(config.training, data.nFrames, 1, o.maxIterations);
  const iterationsTo: Thresholds = { "0.9": null, "0.99": null, "0.999": null };
  const secondsTo: Thresholds = { "0.9": null, "0.99": null, "0.999": null };
  const t0 = performance.now();
  let reached = false;
  const result = await train({
    config,
    model: o.model,
    data,
    backend,
    outDir: o.outDir,
    schedule,
    seed: config.training.seed,
    info: { data: data.dir },
    onProgress: ({ iteration, W_r2 }) => {
      for (const th of R2_THRESHOLDS) {
        if (W_r2 !== null && W_r2 >= Number(th) && iterationsTo[th] === null) {
          iterationsTo[th] = iteration;
          secondsTo[th] = round3((performance.now() - t0) / 1000);
        }
      }
      reached ||= W_r2 !== null && W_r2 >= stopAt;
    },
    shouldStop: () => reached,
  });
  // The model where training stopped: saved at the interrupt, or at the epoch's end (its last
  // iteration is a recording only when the iterations are a multiple of 20).
  const p = new ParamSet(o.model.modelShape(data.N, config.graph_model), backend);
  loadCheckpoint(join(o.outDir, result.interrupted ? interruptedName(0, result.iteration - 1) : checkpointName(0)), p);
  const truth = truthFor(o.model, o.params, data.W, data.types, data.nTypes);
  const ev = evaluate(backend, p, truth, evalSettings(config, data.xnorm, o.model.correctionGain(o.params)));
  const system = o.model.trueSystem(data.W, data.types, o.params);
  const rollout = compareRollouts(backend, p, system, data.x.subarray(0, data.N), 400, data.deltaT);
  const phi = ev.phiRmseByType;
  return {
    iterations_to: iterationsTo,
    seconds_to: secondsTo,
    final: {
      iterations: result.totalIterations,
      seconds: round3(result.seconds),
      W_r2: ev.corrected?.r2 ?? null,
      slope: ev.corrected?.slope ?? null,
      clustering_accuracy: ev.clustering.accuracy,
      phi_rmse: phi ? phi.reduce((a, b) => a + b, 0) / phi.length : null,
      psi_rmse: ev.psiRmse,
      rollout_r2_400: rollout.metrics.t400.r2,
    },
  };
}
