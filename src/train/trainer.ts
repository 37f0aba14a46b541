/**
 * The reference's training recipe (spec 4): epochs of `iterationsPerEpoch` Adam steps on batches of
 * `batch_size` random frames, recordings (metrics + checkpoint) at 21 points per epoch, and at each
 * epoch end a checkpoint, then either the clustering step (sparsity = replace_embedding_function)
 * or a reset of the learning rates of psi* and the embeddings, and a fresh Adam state.
 *
 * Everything that decides the numbers (parameters, Adam moments and step, learning rates, the batch
 * generator, the epoch's loss sum) is saved in `resume.safetensors` at every recording and on
 * interrupt, so a resumed run continues bit for bit as an uninterrupted one.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { connectivityFit } from "../analysis/regression.js";
import { linspace } from "../analysis/stats.js";
import type { Config } from "../config/schema.js";
import { writeFileAtomic } from "../io/atomic.js";
import { readSafetensors, writeSafetensors } from "../io/safetensors.js";
import type { Arr, Backend } from "../kernels/backend.js";
import { Adam, type LearningRates } from "../model/adam.js";
import { saveCheckpoint } from "../model/checkpoint.js";
import { Workspace, lossAndGrad } from "../model/gnn.js";
import { type ModelShape, ParamSet, initParams, modelShape } from "../model/params.js";
import { Rng, type RngState, STREAMS } from "../simulate/rng.js";
import { groupsFromTypes, minMaxGlobal, replaceByClusterMedians, singleLinkage, typeAccuracy, umap2d } from "./cluster.js";
import type { TrainingData } from "./data.js";
import { CurveWorkspace, fitToCurves, groupMedianCurves, sampleUpdateFunction } from "./functions.js";

export const RESUME_FILE = "resume.safetensors";
export const METRICS_FILE = "metrics.jsonl";
export const SUMMARY_FILE = "training.json";
/** Grid points of the phi* curves that the clustering step compares (reference: 1000 on plotting.xlim). */
const CURVE_POINTS = 1000;
/** Full-batch Adam steps of the function replacement (reference: 20). */
const REPLACE_STEPS = 20;
/** UMAP neighbours of the clustering step (reference: 50). */
const UMAP_NEIGHBORS = 50;
/** The learning rate the reference uses to freeze a parameter group. */
const FROZEN_LR = 1e-12;

export interface Schedule {
  epochs: number;
  iterationsPerEpoch: number;
  batchSize: number;
  /** Recordings happen after iteration it (0-based, within the epoch) when isRecording(it). */
  plotFrequency: number;
}

/** Iterations per epoch = int((nFrames · data_augmentation_loop // batch_size) · 0.2) (spec 4.2). */
export function iterationsPerEpoch(nFrames: number, augmentation: number, batchSize: number): number {
  return Math.floor(Math.floor((nFrames * augmentation) / batchSize) * 0.2);
}

/** The reference records at it = 0 and whenever (it + 1) is a multiple of Niter // 20 (21 times an epoch). */
export function isRecording(it: number, plotFrequency: number): boolean {
  return it === 0 || (it + 1) % plotFrequency === 0;
}

/** Whether the clustering step runs at the end of `epoch` (spec 4.5: epoch % 4 == 3 and epoch < n_epochs − 4). */
export function clusteringAfter(epoch: number, epochs: number, t: Config["training"]): boolean {
  if (t.sparsity !== "replace_embedding_function") return false;
  return epoch % t.sparsity_freq === t.sparsity_freq - 1 && epoch < epochs - 4;
}

export interface Recording {
  epoch: number;
  iteration: number;
  total_iterations: number;
  seconds: number;
  /** Mean total loss over the iterations since the previous recording. */
  loss: number;
  W_r2: number | null;
}

export interface ClusteringResult {
  epoch: number;
  n_clusters: number;
  cluster_sizes: number[];
  /** Fraction of neurons whose group (cluster mapped to a type) equals their true type. */
  accuracy: number | null;
  labels: number[];
  umap: number[];
  replacement_loss: number[];
  seconds: number;
}

export interface TrainProgress {
  epoch: number;
  iteration: number;
  loss: number;
  W_r2: number | null;
}

export interface TrainOptions {
  config: Config;
  data: TrainingData;
  backend: Backend;
  /** Folder for checkpoints, metrics.jsonl, training.json and the resume state. */
  outDir: string;
  schedule: Schedule;
  seed: number;
  resume?: boolean;
  /** Polled between iterations: when it returns true, a checkpoint is written and train returns. */
  shouldStop?: () => boolean;
  onEpochStart?: (epoch: number, schedule: Schedule) => void;
  onProgress?: (p: TrainProgress) => void;
  log?: (s: string) => void;
  /** Extra fields for training.json (backend, threads, data path, …). */
  info?: Record<string, unknown>;
}

export interface TrainResult {
  interrupted: boolean;
  epoch: number;
  iteration: number;
  totalIterations: number;
  seconds: number;
  lastRecording?: Recording;
  clustering: ClusteringResult[];
  epochLosses: number[];
}

/** What resume.safetensors stores besides the tensors. */
interface ResumeState {
  epoch: number;
  iteration: number;
  totalIterations: number;
  seconds: number;
  epochPredSum: number;
  sinceLossSum: number;
  sinceCount: number;
  rates: LearningRates;
  adamT: number;
  rng: RngState;
  schedule: Schedule;
  N: number;
  seed: number;
  clustering: ClusteringResult[];
  epochLosses: number[];
}

export function startRates(t: Config["training"]): LearningRates {
  return {
    W: t.learning_rate_W_start,
    lr: t.learning_rate_start,
    update: t.learning_rate_start,
    embedding: t.learning_rate_embedding_start,
  };
}

export function checkpointName(epoch: number, iteration?: number): string {
  return iteration === undefined ? `epoch_${epoch}_end.safetensors` : `epoch_${epoch}_iter_${iteration}.safetensors`;
}

/** Files a training writes into its folder: checkpoints and the resume state, metrics, summary, clustering steps. */
function isTrainingOutput(file: string): boolean {
  return file.endsWith(".safetensors") || file === METRICS_FILE || file === SUMMARY_FILE || file.startsWith("clustering_epoch_");
}

/** Whether `dir` holds results of an earlier training. */
export function hasTrainingOutputs(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some(isTrainingOutput);
}

/** Remove the outputs of an earlier training from `dir` (for --force). */
export function clearTrainingOutputs(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir).filter(isTrainingOutput)) rmSync(join(dir, f), { force: true });
}

/** The tensor sets of the resume state, with their name prefixes: parameters and Adam's moments. */
function resumeSets(p: ParamSet, adam: Adam): [string, ParamSet][] {
  return [
    ["", p],
    ["adam.m.", adam.m],
    ["adam.v.", adam.v],
  ];
}

function saveResume(path: string, p: ParamSet, adam: Adam, st: ResumeState): void {
  const tensors = resumeSets(p, adam).flatMap(([prefix, set]) =>
    set.specs.map((s) => ({ name: prefix + s.name, shape: s.shape, data: Float32Array.from(set.tensor(s.name)) })),
  );
  writeSafetensors(path, tensors, { format: "neural-gnn-resume", state: JSON.stringify(st) });
}

function loadResume(path: string, p: ParamSet, adam: Adam): ResumeState {
  const { tensors, metadata } = readSafetensors(path);
  if (metadata.format !== "neural-gnn-resume" || !metadata.state) throw new Error(`${path}: not a neural-gnn resume state`);
  const st = JSON.parse(metadata.state) as ResumeState;
  for (const [prefix, set] of resumeSets(p, adam)) {
    for (const s of set.specs) {
      const t = tensors.get(prefix + s.name);
      if (!t || t.data.length !== s.size) throw new Error(`${path}: tensor "${prefix}${s.name}" missing or of the wrong size`);
      set.tensor(s.name).set(t.data);
    }
  }
  return st;
}

/** Copy frames ks of x and y into X, Y ([B, N]). */
function fillBatch(data: TrainingData, ks: number[], X: Arr, Y: Arr): void {
  const N = data.N;
  ks.forEach((k, b) => {
    X.set(data.x.subarray(k * N, (k + 1) * N), b * N);
    Y.set(data.y.subarray(k * N, (k + 1) * N), b * N);
  });
}

/** How often the loop yields to the event loop (so that Ctrl-C and progress output get through). */
const YIELD_MS = 50;

/** Train from scratch (or from the resume state) following `opts.schedule`. */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { config, data, backend, outDir, schedule } = opts;
  const t = config.training;
  const log = opts.log ?? (() => {});
  const N = data.N;
  const shape: ModelShape = modelShapeFor(config, N);
  mkdirSync(outDir, { recursive: true });
  const resumePath = join(outDir, RESUME_FILE);
  const metricsPath = join(outDir, METRICS_FILE);

  const p = new ParamSet(shape, backend);
  const grad = new ParamSet(shape, backend);
  const adam = new Adam(backend, p, startRates(t));
  const rng = new Rng(opts.seed, STREAMS.batches);
  let st: ResumeState;
  let lastRecording: Recording | undefined;
  if (opts.resume) {
    st = loadResume(resumePath, p, adam);
    const same = JSON.stringify(st.schedule) === JSON.stringify(schedule) && st.N === N && st.seed === opts.seed;
    if (!same) {
      throw new Error(
        `${resumePath}: the saved run had N = ${st.N}, seed ${st.seed}, schedule ${JSON.stringify(st.schedule)}; ` +
          `this one has N = ${N}, seed ${opts.seed}, schedule ${JSON.stringify(schedule)}. Resume with the same settings.`,
      );
    }
    adam.rates = { ...st.rates };
    adam.t = st.adamT;
    rng.setState(st.rng);
    lastRecording = truncateMetrics(metricsPath, st.totalIterations);
    log(
      st.epoch >= schedule.epochs
        ? `training already complete (${st.totalIterations} iterations)`
        : `resuming at epoch ${st.epoch}, iteration ${st.iteration} (${st.totalIterations} done)`,
    );
  } else {
    initParams(p, opts.seed);
    st = {
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
      schedule,
      N,
      seed: opts.seed,
      clustering: [],
      epochLosses: [],
    };
  }

  const workspaces = new Map<number, { ws: Workspace; X: Arr; Y: Arr }>();
  const workspace = (B: number) => {
    let w = workspaces.get(B);
    if (!w) {
      w = { ws: new Workspace(p, B, backend), X: backend.alloc(B * N), Y: backend.alloc(B * N) };
      workspaces.set(B, w);
    }
    return w;
  };
  let curves: CurveWorkspace | undefined;
  const frameRange = data.nFrames - 4 - t.time_step;
  if (frameRange < 1) throw new Error(`${data.dir}: ${data.nFrames} frames are too few to train on`);
  const wR2 = () => (data.W ? connectivityFit(p.W, data.W, N).r2 : null);
  const t0 = performance.now() - st.seconds * 1000;
  const seconds = () => (performance.now() - t0) / 1000;
  const snapshot = (): ResumeState => ({ ...st, rates: { ...adam.rates }, adamT: adam.t, rng: rng.state(), seconds: seconds() });
  const meta = (epoch: number, iteration: number | undefined) => ({
    format: "neural-gnn-model",
    epoch: String(epoch),
    iteration: iteration === undefined ? "end" : String(iteration),
    total_iterations: String(st.totalIterations),
  });
  let lastR2: number | null = lastRecording?.W_r2 ?? null;
  const liveEvery = Math.max(1, Math.floor(schedule.iterationsPerEpoch / 200));
  let lastYield = performance.now();

  for (; st.epoch < schedule.epochs; st.epoch++, st.iteration = 0, st.epochPredSum = 0) {
    const epoch = st.epoch;
    const B = t.small_init_batch_size && epoch === 0 ? 1 : schedule.batchSize;
    const { ws, X, Y } = workspace(B);
    opts.onEpochStart?.(epoch, schedule);
    const ks = new Array<number>(B);
    for (; st.iteration < schedule.iterationsPerEpoch; st.iteration++) {
      const it = st.iteration;
      for (let b = 0; b < B; b++) ks[b] = rng.int(frameRange);
      fillBatch(data, ks, X, Y);
      const loss = lossAndGrad(backend, p, grad, ws, X, Y, B, t.coeff_lin_phi_zero);
      if (!Number.isFinite(loss.total)) {
        throw new Error(
          `training diverged: loss is ${loss.total} at epoch ${epoch}, iteration ${it} (try smaller learning rates)`,
        );
      }
      adam.step(p, grad);
      st.totalIterations++;
      st.epochPredSum += loss.pred;
      st.sinceLossSum += loss.total;
      st.sinceCount++;
      if (isRecording(it, schedule.plotFrequency)) {
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
        appendFileSync(metricsPath, `${JSON.stringify(lastRecording)}\n`);
        saveCheckpoint(join(outDir, checkpointName(epoch, it)), p, meta(epoch, it));
        saveResume(resumePath, p, adam, { ...snapshot(), iteration: it + 1 });
      } else if (it % liveEvery === 0) {
        lastR2 = wR2();
      }
      opts.onProgress?.({ epoch, iteration: it + 1, loss: loss.total, W_r2: lastR2 });
      if (performance.now() - lastYield > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      if (opts.shouldStop?.() && it + 1 < schedule.iterationsPerEpoch) {
        st.iteration = it + 1;
        saveCheckpoint(join(outDir, checkpointName(epoch, it)), p, meta(epoch, it));
        saveResume(resumePath, p, adam, snapshot());
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
    saveCheckpoint(join(outDir, checkpointName(epoch)), p, meta(epoch, undefined));
    if (clusteringAfter(epoch, schedule.epochs, t)) {
      curves ??= new CurveWorkspace(backend, p, CURVE_POINTS);
      const c = clusteringStep(opts, p, grad, adam, curves, epoch);
      st.clustering.push(c);
      writeFileAtomic(join(outDir, `clustering_epoch_${epoch}.json`), JSON.stringify(c));
      if (t.fix_cluster_embedding) adam.rates = { ...adam.rates, lr: FROZEN_LR, embedding: FROZEN_LR };
    } else {
      adam.rates = { ...adam.rates, lr: t.learning_rate_start, embedding: t.learning_rate_embedding_start };
    }
    adam.reset();
    saveResume(resumePath, p, adam, { ...snapshot(), epoch: epoch + 1, iteration: 0, epochPredSum: 0 });
    writeSummary();
  }
  return result(false);

  function writeSummary(): void {
    const summary = {
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
    writeFileAtomic(join(outDir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
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

/** Cluster the phi* curves, replace embeddings by cluster medians and fit phi* to group medians (spec 4.5). */
function clusteringStep(
  opts: TrainOptions,
  p: ParamSet,
  grad: ParamSet,
  adam: Adam,
  curves: CurveWorkspace,
  epoch: number,
): ClusteringResult {
  const { config, data, backend } = opts;
  const t = config.training;
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const N = p.shape.N;
  const [lo, hi] = config.plotting.xlim;
  const rs = linspace(lo, hi, CURVE_POINTS);
  const F = sampleUpdateFunction(backend, p, curves, rs);
  const umap = umap2d(F, N, CURVE_POINTS, UMAP_NEIGHBORS, opts.seed + epoch);
  const labels = singleLinkage(minMaxGlobal(umap), 2, t.cluster_distance_threshold);
  const nClusters = Math.max(...labels) + 1;
  const sizes = Array.from({ length: nClusters }, (_, c) => labels.filter((l) => l === c).length);
  // Groups for the function targets: clusters mapped to true types when known (as the reference), else the clusters.
  let groups = labels;
  let nGroups = nClusters;
  let accuracy: number | null = null;
  if (data.types && data.nTypes) {
    groups = groupsFromTypes(labels, data.types, data.nTypes);
    nGroups = data.nTypes + 1;
    accuracy = typeAccuracy(groups, data.types);
  }
  replaceByClusterMedians(p.a, p.shape.embeddingDim, labels);
  const targets = groupMedianCurves(F, CURVE_POINTS, groups, nGroups);
  adam.rates = { ...adam.rates, embedding: FROZEN_LR };
  adam.reset();
  const losses = fitToCurves(backend, p, grad, adam, curves, rs, groups, targets, REPLACE_STEPS);
  const seconds = (performance.now() - started) / 1000;
  log(
    `clustering after epoch ${epoch}: ${nClusters} clusters (sizes ${sizes.join(", ")})` +
      (accuracy === null ? "" : `, accuracy vs true types ${accuracy.toFixed(3)}`) +
      `; phi* fitted to the cluster medians (loss ${losses[0].toPrecision(4)} → ${losses[losses.length - 1].toPrecision(4)}) in ${seconds.toFixed(1)} s`,
  );
  return {
    epoch,
    n_clusters: nClusters,
    cluster_sizes: sizes,
    accuracy,
    labels: Array.from(labels),
    umap: Array.from(umap),
    replacement_loss: losses,
    seconds,
  };
}

/** The recordings of a metrics.jsonl file (empty if there is none). */
export function readMetrics(path: string): Recording[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Recording);
}

/** Keep only the metrics lines recorded up to `totalIterations` (after a resume); returns the last one kept. */
function truncateMetrics(path: string, totalIterations: number): Recording | undefined {
  const all = readMetrics(path);
  const keep = all.filter((r) => r.total_iterations <= totalIterations);
  if (keep.length !== all.length) writeFileAtomic(path, keep.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return keep[keep.length - 1];
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The model shape of a config for N neurons. */
export function modelShapeFor(config: Config, N: number): ModelShape {
  return modelShape(N, config.graph_model);
}
