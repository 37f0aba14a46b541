/**
 * The reference's training recipe (spec 4): epochs of `iterationsPerEpoch` Adam steps on batches of
 * random frames, recordings (metrics + checkpoint + resume state) at 21 points per epoch, and at
 * each epoch end a checkpoint, then either the clustering step or a reset of the learning rates of
 * psi* and a, and a fresh Adam state. Schedule: schedule.ts; resume state: resume.ts; clustering
 * step: clustering-step.ts; the files written: run-folder/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import { connectivityFit } from "../core/regression.js";
import { Rng, STREAMS } from "../core/rng.js";
import { round3 } from "../core/stats.js";
import type { Arr, Backend } from "../kernels/backend.js";
import { Adam } from "../model/adam.js";
import { saveCheckpoint } from "../model/checkpoint.js";
import type { CurveWorkspace } from "../model/curves.js";
import { Workspace, lossAndGrad } from "../model/gnn.js";
import { ParamSet, initParams } from "../model/params.js";
import { clearInterrupted } from "../run-folder/checkpoints.js";
import {
  type ClusteringRecord,
  type Recording,
  type TrainingSummary,
  appendRecording,
  epochIterations,
  plotFrequencyOf,
  truncateRecordings,
  writeClustering,
  writeTrainingSummary,
} from "../run-folder/files.js";
import { MODEL_FILES, checkpointName, clusteringName, interruptedName } from "../run-folder/layout.js";
import type { SignalModel } from "../signal/signal-model.js";
import { clusteringCurves, clusteringStep, describeClustering } from "./clustering-step.js";
import type { TrainingData } from "./data.js";
import { loadOmegaLearner, omegaSourceOf, saveOmegaLearner } from "./external-input.js";
import { type ResumeState, loadResume, saveResume, trainingHashes } from "./resume.js";
import {
  type Schedule,
  batchSizeOf,
  clusteringAfter,
  firstEpochRates,
  isRecording,
  lossCoeffsOf,
  ratesAfterEpoch,
} from "./schedule.js";

export interface TrainProgress {
  epoch: number;
  iteration: number;
  loss: number;
  W_r2: number | null;
}

/** What training.json records beyond the training itself. */
export type TrainingInfo = Pick<TrainingSummary, "data" | "data_fingerprint" | "config" | "recipe" | "backend" | "version">;

export interface TrainOptions {
  config: Config;
  /** The signal model (graph_model.signal_model_name): the GNN's form. */
  model: SignalModel;
  data: TrainingData;
  backend: Backend;
  /** Folder for checkpoints, metrics.jsonl, training.json and the resume state. */
  outDir: string;
  schedule: Schedule;
  seed: number;
  resume?: boolean;
  /** Polled between iterations: when it returns true, the state is saved and train returns. */
  shouldStop?: () => boolean;
  onEpochStart?: (epoch: number, schedule: Schedule) => void;
  onProgress?: (p: TrainProgress) => void;
  log?: (s: string) => void;
  /** For training.json (data path and fingerprint, backend, …). */
  info: TrainingInfo;
}

export interface TrainResult {
  interrupted: boolean;
  epoch: number;
  iteration: number;
  totalIterations: number;
  seconds: number;
  lastRecording?: Recording;
  clustering: ClusteringRecord[];
  epochLosses: number[];
}

/** How often the loop yields to the event loop (so that Ctrl-C and progress output get through). */
const YIELD_MS = 50;

/** Copy frames ks of x and y into X, Y ([B, N]). */
export function fillBatch(data: TrainingData, ks: number[], X: Arr, Y: Arr): void {
  const N = data.N;
  ks.forEach((k, b) => {
    X.set(data.x.subarray(k * N, (k + 1) * N), b * N);
    Y.set(data.y.subarray(k * N, (k + 1) * N), b * N);
  });
}

/** A fresh state at iteration 0 of epoch 0. */
function freshState(opts: TrainOptions, adam: Adam, rng: Rng): ResumeState {
  return {
    epoch: 0,
    iteration: 0,
    totalIterations: 0,
    seconds: 0,
    epochPredSum: 0,
    sinceLossSum: 0,
    sinceCount: 0,
    rates: { ...adam.rates },
    adamT: 0,
    rng: rng.state(),
    schedule: opts.schedule,
    N: opts.data.N,
    seed: opts.seed,
    dataFingerprint: opts.info.data_fingerprint,
    trainingHash: trainingHashes(opts.config.training)[0],
    clustering: [],
    epochLosses: [],
  };
}

/** Refuse a resume state saved with other settings or other data. */
function checkResumable(path: string, st: ResumeState, opts: TrainOptions): void {
  const { schedule, data, seed } = opts;
  const same = JSON.stringify(st.schedule) === JSON.stringify(schedule) && st.N === data.N && st.seed === seed;
  if (!same) {
    throw new Error(
      `${path}: the saved run had N = ${st.N}, seed ${st.seed}, schedule ${JSON.stringify(st.schedule)}; ` +
        `this one has N = ${data.N}, seed ${seed}, schedule ${JSON.stringify(schedule)}. Resume with the same settings.`,
    );
  }
  if (st.trainingHash && !trainingHashes(opts.config.training).includes(st.trainingHash)) {
    throw new Error(
      `${path}: the saved run had other training settings (a different recipe or --set training.…); resume with the same settings`,
    );
  }
  const fp = opts.info.data_fingerprint;
  if (st.dataFingerprint && fp && st.dataFingerprint !== fp) {
    throw new Error(
      `${path}: the saved training used other data than ${data.dir} (its files changed since, e.g. by generate --force); ` +
        "start over with --force",
    );
  }
}

/** Train from scratch (or from the resume state) following `opts.schedule`. */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { config, data, backend, outDir, schedule } = opts;
  const t = config.training;
  const log = opts.log ?? (() => {});
  const N = data.N;
  mkdirSync(outDir, { recursive: true });
  const resumePath = join(outDir, MODEL_FILES.resume);
  const metricsPath = join(outDir, MODEL_FILES.metrics);
  const frameRange = data.nFrames - 4 - t.time_step;
  if (frameRange < 1) throw new Error(`${data.dir}: ${data.nFrames} frames are too few to train on`);

  const p = new ParamSet(opts.model.modelShape(N, config.graph_model), backend);
  const grad = new ParamSet(p.shape, backend);
  const adam = new Adam(backend, p, firstEpochRates(t));
  // training_single_type: a is a constant (ones from initParams), fed to phi* and saved, never trained.
  if (t.training_single_type) adam.fixed.add("a");
  const rng = new Rng(opts.seed, STREAMS.batches);
  // Figure 3: Ω [B, N] multiplies each receiver's message (the dataset's, or a learned Ω*).
  const omega = omegaSourceOf(config, data, opts.info.config ?? "the config", { backend, seed: opts.seed });
  let st: ResumeState;
  let lastRecording: Recording | undefined;
  if (opts.resume) {
    st = loadResume(resumePath, p, adam);
    checkResumable(resumePath, st, opts);
    loadOmegaLearner(omega, resumePath, st.totalIterations);
    adam.rates = { ...st.rates };
    adam.t = st.adamT;
    rng.setState(st.rng);
    lastRecording = truncateRecordings(metricsPath, st.totalIterations);
    clearInterrupted(outDir);
    log(
      st.epoch >= schedule.epochs
        ? `training already complete (${st.totalIterations} iterations)`
        : `resuming at epoch ${st.epoch}, iteration ${st.iteration} (${st.totalIterations} done)`,
    );
  } else {
    initParams(p, opts.seed, t.W_init);
    st = freshState(opts, adam, rng);
  }

  const workspaces = new Map<number, { ws: Workspace; X: Arr; Y: Arr }>();
  const workspace = (B: number) => {
    let w = workspaces.get(B);
    if (!w) {
      w = { ws: new Workspace(p, B, backend, omega !== undefined), X: backend.alloc(B * N), Y: backend.alloc(B * N) };
      workspaces.set(B, w);
    }
    return w;
  };
  let curves: CurveWorkspace | undefined;
  const wR2 = () => (data.W ? connectivityFit(p.W, data.W, N).r2 : null);
  const t0 = performance.now() - st.seconds * 1000;
  const seconds = () => (performance.now() - t0) / 1000;
  const snapshot = (): ResumeState => ({ ...st, rates: { ...adam.rates }, adamT: adam.t, rng: rng.state(), seconds: seconds() });
  const save = (name: string, epoch: number, iteration?: number) => {
    const meta = {
      epoch: String(epoch),
      iteration: iteration === undefined ? "end" : String(iteration),
      total_iterations: String(st.totalIterations),
    };
    saveOmegaLearner(omega, join(outDir, name), meta);
    saveCheckpoint(join(outDir, name), p, { format: "neural-gnn-model", ...meta });
  };
  const saveState = (s: ResumeState) => {
    saveOmegaLearner(omega, resumePath);
    saveResume(resumePath, p, adam, s);
  };
  let lastR2: number | null = lastRecording?.W_r2 ?? null;
  let lastYield = performance.now();

  for (; st.epoch < schedule.epochs; st.epoch++, st.iteration = 0, st.epochPredSum = 0) {
    const epoch = st.epoch;
    const B = batchSizeOf(epoch, schedule, t);
    const niter = epochIterations(schedule, epoch);
    const plotFrequency = plotFrequencyOf(schedule, epoch);
    const liveEvery = Math.max(1, Math.floor(niter / 200));
    const { ws, X, Y } = workspace(B);
    // Derived from the config, the epoch and the data: nothing to save for a resume.
    const coeffs = lossCoeffsOf(epoch, t, data.xnorm);
    opts.onEpochStart?.(epoch, schedule);
    const ks = new Array<number>(B);
    for (; st.iteration < niter; st.iteration++) {
      const it = st.iteration;
      for (let b = 0; b < B; b++) ks[b] = rng.int(frameRange);
      fillBatch(data, ks, X, Y);
      if (omega && ws.omega) omega.fill(ks, ws.omega);
      const loss = lossAndGrad(backend, p, grad, ws, X, Y, B, coeffs, adam);
      if (!Number.isFinite(loss.total)) {
        throw new Error(
          `training diverged: loss is ${loss.total} at epoch ${epoch}, iteration ${it} (try smaller learning rates)`,
        );
      }
      adam.step(p, grad);
      if (omega?.learn && ws.dOmega) omega.learn(ws.dOmega, ks);
      st.totalIterations++;
      st.epochPredSum += loss.pred;
      st.sinceLossSum += loss.total;
      st.sinceCount++;
      if (isRecording(it, plotFrequency)) {
        lastR2 = wR2();
        lastRecording = {
          epoch,
          iteration: it,
          total_iterations: st.totalIterations,
          seconds: round3(seconds()),
          loss: st.sinceLossSum / st.sinceCount,
          W_r2: lastR2,
        };
        st.sinceLossSum = 0;
        st.sinceCount = 0;
        appendRecording(metricsPath, lastRecording);
        save(checkpointName(epoch, it), epoch, it);
        saveState({ ...snapshot(), iteration: it + 1 });
      } else if (it % liveEvery === 0) {
        lastR2 = wR2();
      }
      opts.onProgress?.({ epoch, iteration: it + 1, loss: loss.total, W_r2: lastR2 });
      if (performance.now() - lastYield > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      if (opts.shouldStop?.() && it + 1 < niter) {
        st.iteration = it + 1;
        // Saved under a name of its own, so that the checkpoints stay those of an uninterrupted run.
        save(interruptedName(epoch, it), epoch, it);
        saveState(snapshot());
        log(`interrupted: state saved after epoch ${epoch}, iteration ${it}; continue with --resume`);
        return result(true);
      }
    }
    // Epoch end (spec 4.5): loss summary, checkpoint, clustering or LR reset, fresh Adam.
    const epochLoss = st.epochPredSum / N;
    st.epochLosses.push(epochLoss);
    log(
      `epoch ${epoch}: prediction loss ${epochLoss.toPrecision(6)} (sum over iterations / N)${lastR2 === null ? "" : `, W R² ${lastR2.toFixed(4)}`}`,
    );
    save(checkpointName(epoch), epoch);
    const clustered = clusteringAfter(epoch, schedule.epochs, t);
    if (clustered) {
      curves ??= clusteringCurves(backend, p);
      const c = clusteringStep({
        backend,
        p,
        grad,
        adam,
        curves,
        epoch,
        xlim: config.plotting.xlim as [number, number],
        threshold: t.cluster_distance_threshold,
        seed: opts.seed + epoch,
        types: data.types,
        nTypes: data.nTypes,
      });
      log(describeClustering(c));
      st.clustering.push(c);
      writeClustering(join(outDir, clusteringName(epoch)), c);
    }
    adam.rates = ratesAfterEpoch(adam.rates, t, clustered, epoch);
    adam.reset();
    saveState({ ...snapshot(), epoch: epoch + 1, iteration: 0, epochPredSum: 0 });
    writeTrainingSummary(join(outDir, MODEL_FILES.summary), summary());
  }
  return result(false);

  function summary(): TrainingSummary {
    return {
      schedule,
      seed: opts.seed,
      n_neurons: N,
      n_frames: data.nFrames,
      derivative: data.derivative,
      x_std: data.xStd,
      xnorm: data.xnorm,
      epochs_done: st.epoch + 1,
      total_iterations: st.totalIterations,
      seconds: round3(seconds()),
      epoch_losses: st.epochLosses,
      last_recording: lastRecording ?? null,
      clustering: st.clustering.map(({ labels, umap, ...rest }) => rest),
      ...opts.info,
    };
  }

  function result(interrupted: boolean): TrainResult {
    return {
      interrupted,
      epoch: st.epoch,
      iteration: st.iteration,
      totalIterations: st.totalIterations,
      seconds: seconds(),
      lastRecording,
      clustering: st.clustering,
      epochLosses: st.epochLosses,
    };
  }
}
