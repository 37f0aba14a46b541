/**
 * Figure 3e–g for a training with a learned Ω* (training.learn_external_input): the SIREN saved
 * with the evaluated GNN checkpoint (<checkpoint>.siren.safetensors) scored against the dataset's
 * true Ω (external_input.npy: the very input of the simulation, block-mean downsampled when
 * simulation.visual_input_width is set) on the √ scale with the frame-0 scale s (spec models-n4-n5
 * §5.7): Fig 3e the pooled scatter, Fig 3f/g true and learned fields at frames 0, T/5, …, 4T/5.
 */
import { existsSync } from "node:fs";
import { type OmegaScore, omegaScoreOf } from "../analysis/siren-score.js";
import type { Backend } from "../kernels/backend.js";
import { loadSirenLearner } from "../model/siren-learner.js";
import { externalInputPanel, gray } from "../plot/external-input.js";
import { rasterScatter } from "../plot/scatter.js";
import type { EvaluationMetrics } from "../run-folder/files.js";
import { sirenFileName } from "../run-folder/layout.js";
import { loadExternalInput } from "../train/data.js";
import { sirenLearnerOf } from "../train/external-input.js";
import type { figureSaver } from "./figures.js";
import type { TrainedRun } from "./trained-run.js";

export type ExternalInputResults = NonNullable<EvaluationMetrics["external_input"]>;

/** Fig 3e's axis limits and Fig 3f/g's gray limits (the reference's). */
const SCATTER_LIMITS: [number, number] = [0.65, 1.25];
const FIELD_SCALE = { map: gray, lo: 0.7, hi: 1.2 };

/** Scores and draws the learned Ω* of `run`'s evaluated checkpoint; undefined for a run without one. */
export async function plotLearnedOmega(
  run: TrainedRun,
  backend: Backend,
  save: ReturnType<typeof figureSaver>["save"],
  log: (s: string) => void,
): Promise<ExternalInputResults | undefined> {
  const { config, file } = run.loaded;
  if (config.simulation.external_input_type === "none" || !config.training.learn_external_input) return undefined;
  const nInput = run.dataset.external_input?.n_input_neurons;
  const omega = loadExternalInput(run.dataDir, run.dataset);
  if (nInput === undefined || !omega) throw new Error(`${run.dataDir}: the dataset has no external input to score Ω* against`);
  const path = sirenFileName(run.chosen.path);
  if (!existsSync(path))
    throw new Error(`${path}: missing: the learned Ω* of ${run.chosen.path} (training.learn_external_input)`);
  const learner = sirenLearnerOf(config, nInput, 0, backend, file);
  loadSirenLearner(path, learner);
  const P = learner.P;
  const nFrames = run.dataset.n_frames - 1;
  if (nFrames !== learner.nFrames)
    throw new Error(`${file}: simulation.n_frames is ${learner.nFrames} but the dataset ${run.dataDir} has ${nFrames} frames`);
  const truthAt = (k: number) => omega.subarray(k * P, (k + 1) * P);
  const score = omegaScoreOf(truthAt, P, nFrames, (t) => learner.field(t));
  log(
    `Ω* (${path}): R² ${score.r2.toFixed(4)}, slope ${score.slope.toFixed(3)} on the √ scale (s ${score.scale.toFixed(4)}, ` +
      `raw slope ${score.rawSlope.toFixed(3)}, intercept ${score.intercept.toFixed(3)}; ${score.frames.length} frames)`,
  );
  await save("fig3e_omega_learned_vs_true", () =>
    rasterScatter(score.truth, score.learned, {
      xLabel: "true √Ω",
      yLabel: "learned √Ω*",
      xDomain: SCATTER_LIMITS,
      yDomain: SCATTER_LIMITS,
    }),
  );
  const frames = [0, 1, 2, 3, 4].map((n) => Math.floor((n * nFrames) / 5));
  const w = learner.width;
  await save("fig3f_omega_true", () =>
    externalInputPanel(
      frames.map((k) => ({ k, omega: Float64Array.from(truthAt(k), Math.sqrt) })),
      w,
      `true field √Ω (${w}×${w} input grid)`,
      FIELD_SCALE,
    ),
  );
  await save("fig3g_omega_learned", () =>
    externalInputPanel(learnedFields(score, learner, frames, nFrames), w, `learned field s·√Ω* (${w}×${w})`, FIELD_SCALE),
  );
  return {
    r2: score.r2,
    slope: score.slope,
    intercept: score.intercept,
    raw_slope: score.rawSlope,
    scale: score.scale,
    frames: score.frames.length,
    per_frame_r2: score.perFrame.map((f) => f.r2),
    checkpoint: path,
  };
}

/** s·|f_p(k)| (= s·√Ω*) at frames k, on the learner's grid. */
function learnedFields(
  score: OmegaScore,
  learner: { field(t: number): Float64Array },
  frames: readonly number[],
  nFrames: number,
): { k: number; omega: Float64Array }[] {
  return frames.map((k) => ({ k, omega: learner.field(Math.fround(k / nFrames)).map((f) => score.scale * Math.abs(f)) }));
}
