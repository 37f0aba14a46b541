/**
 * Typed readers and writers of every JSON file in a run folder (layout.ts). Each file has one zod
 * schema here; the types are inferred from it, readers validate and name the file and the field
 * on error, writers are atomic (metrics.jsonl is appended line by line).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { type ZodType, type ZodTypeDef, z } from "zod";
import { writeFileAtomic } from "../io/atomic.js";
import { runLayout } from "./layout.js";

export class RunFolderError extends Error {
  override name = "RunFolderError";
}

/** A number that JSON may have turned into null (NaN, ±Infinity). */
const num = z.number().nullable();

export const scheduleSchema = z.object({
  epochs: z.number().int().positive(),
  iterationsPerEpoch: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  /** Recordings happen after iteration it (0-based, within the epoch) when isRecording(it). */
  plotFrequency: z.number().int().positive(),
  /** Epoch 0's iterations where they differ from iterationsPerEpoch (first_epoch_batch_size). */
  firstEpochIterations: z.number().int().positive().optional(),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** The iterations of `epoch`. */
export function epochIterations(s: Schedule, epoch: number): number {
  return epoch === 0 && s.firstEpochIterations !== undefined ? s.firstEpochIterations : s.iterationsPerEpoch;
}

/** The iterations of the epochs before `epoch`. */
export function iterationsBefore(s: Schedule, epoch: number): number {
  return epoch <= 0 ? 0 : epochIterations(s, 0) + (epoch - 1) * s.iterationsPerEpoch;
}

/** The recording period of an epoch of `iterations`: Niter // 20 (21 recordings an epoch), at least 1. */
export function recordingPeriod(iterations: number): number {
  return Math.max(1, Math.floor(iterations / 20));
}

/** The recording period of `epoch`. */
export function plotFrequencyOf(s: Schedule, epoch: number): number {
  return epoch === 0 && s.firstEpochIterations !== undefined ? recordingPeriod(s.firstEpochIterations) : s.plotFrequency;
}

/** One line of models/metrics.jsonl. */
export const recordingSchema = z.object({
  epoch: z.number().int(),
  iteration: z.number().int(),
  total_iterations: z.number().int(),
  seconds: z.number(),
  /** Mean total loss over the iterations since the previous recording. */
  loss: num,
  W_r2: num,
});
export type Recording = z.infer<typeof recordingSchema>;

/** models/clustering_epoch_E.json: the clustering step after epoch E. */
export const clusteringSchema = z.object({
  epoch: z.number().int(),
  n_clusters: z.number().int(),
  cluster_sizes: z.array(z.number().int()),
  /** Fraction of neurons whose group (cluster mapped to a type) equals their true type. */
  accuracy: num,
  labels: z.array(z.number().int()),
  umap: z.array(z.number()),
  replacement_loss: z.array(num),
  seconds: z.number(),
});
export type ClusteringRecord = z.infer<typeof clusteringSchema>;

/** models/training.json: what a training did, rewritten at each epoch end. */
export const trainingSummarySchema = z.object({
  schedule: scheduleSchema,
  seed: z.number().int(),
  n_neurons: z.number().int().positive(),
  n_frames: z.number().int().positive(),
  derivative: z.string(),
  x_std: z.number(),
  xnorm: z.number(),
  epochs_done: z.number().int(),
  total_iterations: z.number().int(),
  seconds: z.number(),
  epoch_losses: z.array(num),
  last_recording: recordingSchema.nullable(),
  clustering: z.array(clusteringSchema.omit({ labels: true, umap: true })),
  /** The dataset folder, relative to the run folder (absolute when it lies elsewhere). */
  data: z.string(),
  /** Fingerprint of the dataset trained on (dataFingerprint): plot, test and resume refuse other data. */
  data_fingerprint: z.string().optional(),
  config: z.string().optional(),
  /** What it trained with (train/recipes.ts recipeOf: a recipe's name, or "custom (keys)"); absent in older runs. */
  recipe: z.string().optional(),
  backend: z.string().optional(),
  version: z.string().optional(),
});
export type TrainingSummary = z.infer<typeof trainingSummarySchema>;

/** R² and slope of a rollout frame with the fit's status. */
export const fitSchema = z.object({ r2: num, slope: num, status: z.string().optional() });
export type FitAt = z.infer<typeof fitSchema>;

export const rolloutMetricsSchema = z.object({
  steps: z.number().int(),
  t400: fitSchema,
  t800: fitSchema,
  /** R² and slope every 10 steps. */
  every10: z.array(z.object({ step: z.number().int(), r2: num, slope: num })),
});
export type RolloutMetrics = z.infer<typeof rolloutMetricsSchema>;

export const generalisationMetricsSchema = rolloutMetricsSchema.extend({
  ff: z.number(),
  percentages: z.array(z.number()),
  weights: z.number().int(),
  connectivity: z.string(),
});
export type GeneralisationMetrics = z.infer<typeof generalisationMetricsSchema>;

/** Confusion counts and scores of "edge present" = |W*_ij| > tau (analysis/edges.ts). */
export const edgeScoreSchema = z.object({
  tau: num,
  tp: z.number().int(),
  fp: z.number().int(),
  fn: z.number().int(),
  tn: z.number().int(),
  precision: num,
  recall: num,
  f1: num,
  specificity: num,
  mcc: num,
});
export type EdgeScoreResults = z.infer<typeof edgeScoreSchema>;

/** Edge detection of the corrected learned W against the true W (ours; analysis/edges.ts). */
export const edgeResultsSchema = z.object({
  /** How the truth-free threshold is chosen. */
  rule: z.string(),
  n_edges: z.number().int(),
  n_zeros: z.number().int(),
  prevalence: num,
  truth_free: edgeScoreSchema,
  /** The threshold of maximal F1, chosen with the truth. */
  oracle: edgeScoreSchema,
  /** The fit behind the truth-free threshold: noise scale, weight scale, share of absent edges. */
  mixture: z.object({ sigma: num, gamma: num, absent_share: num }),
  r2_nonzero: num,
  slope_nonzero: num,
  rms_on_zeros: num,
  rms_on_zeros_relative: num,
});
export type EdgeResults = z.infer<typeof edgeResultsSchema>;

/** The part of results/metrics.json that `plot` writes. */
export const evaluationMetricsSchema = z.object({
  checkpoint: z.string(),
  total_iterations: z.number().int().nullable(),
  connectivity: z
    .object({
      r2: num,
      slope: num,
      r2_raw: num,
      slope_raw: num,
      psi_plateau: num,
      g: z.number(),
      /** How ψ̄ was taken (plotting.norm_method on the range [lo, hi] of x; fallback: that range was empty, max |ψ*|). */
      psi_norm: z.object({ method: z.string(), range: z.array(num), fallback: z.boolean(), per_neuron: z.boolean() }).optional(),
    })
    .nullable(),
  clustering: z.object({
    accuracy: num,
    n_clusters: z.number().int(),
    threshold: z.number(),
    /** Single linkage cut at K = the number of true types (null without true types). */
    k_fixed: z.number().int().nullable().optional(),
    n_clusters_k_fixed: z.number().int().nullable().optional(),
    accuracy_k_fixed: num.optional(),
  }),
  /** Without a true W: null; absent in files written before it existed. */
  edges: edgeResultsSchema.nullable().optional(),
  functions: z.object({
    phi_rmse_by_type: z.array(num).nullable(),
    psi_rmse: num,
    /** PDE_N4: per sending type, RMSE of ψ* ÷ ψ̄_j against the true transfer, and the width of a k·tanh(x/w) fit. */
    psi_rmse_by_type: z.array(num).optional(),
    psi_width_by_type: z.array(num).nullable().optional(),
    /** PDE_N5: the neuron-neuron transfer functions (Supp Fig 14h, analysis/psi-pairs.ts). */
    psi_pairs: z
      .object({
        /** Width of a k·tanh(x/w) fit per receiving type (type-0 senders), and the truth's w_k. */
        receiver_width: z.array(num),
        true_receiver_width: z.array(z.number()),
        correction: z.array(num),
        /** [receiving type][sending type] RMSE of the median corrected curve against its truth. */
        rmse: z.array(z.array(num)),
        range: z.array(z.number()),
        pairs: z.number().int(),
        seed: z.number().int(),
        /** [receiving type][sending type] R² of raw learned against true W within the block. */
        W_r2_by_type_pair: z.array(z.array(num)).optional(),
      })
      .optional(),
    phi_range: z.array(z.number()),
    psi_range: z.array(z.number()),
  }),
  /**
   * The learned Ω* against the true Ω (Figure 3e, √ scale, analysis/siren-score.ts): pooled OLS of
   * s·|f| on √Ω over the scored frames; s the frame-0 scale, raw_slope = slope / s.
   */
  external_input: z
    .object({
      r2: num,
      slope: num,
      intercept: num,
      raw_slope: num,
      scale: num,
      frames: z.number().int(),
      per_frame_r2: z.array(num),
      checkpoint: z.string(),
    })
    .optional(),
  /** What could not be evaluated and why (degenerate or missing data). */
  warnings: z.array(z.string()).optional(),
});
export type EvaluationMetrics = z.infer<typeof evaluationMetricsSchema>;
export type PsiPairsResults = NonNullable<EvaluationMetrics["functions"]["psi_pairs"]>;

/** The part of results/metrics.json that `test` writes. */
export const testMetricsSchema = z.object({
  rollout: rolloutMetricsSchema,
  generalisation: z.record(generalisationMetricsSchema),
});
export type TestMetrics = z.infer<typeof testMetricsSchema>;

/** results/metrics.json: every part optional (plot and test each write theirs). */
export const resultsSchema = evaluationMetricsSchema.partial().merge(testMetricsSchema.partial());
export type Results = z.infer<typeof resultsSchema>;

/** run.json: the step timings of the last `run`. */
export const runTimingsSchema = z.object({
  timings: z.array(z.object({ step: z.string(), seconds: z.number(), skipped: z.boolean() })),
  total_seconds: z.number(),
});
export type RunTimings = z.infer<typeof runTimingsSchema>;
export type StepTiming = RunTimings["timings"][number];

/** One config's row of an experiment summary: this run's numbers next to the paper's. */
export const experimentRowSchema = z.object({
  config: z.string(),
  label: z.string(),
  W_r2: num,
  W_slope: num,
  clustering_accuracy: num,
  n_clusters: z.number().int().nullable(),
  /** Accuracy of the clustering cut at K = number of types (ours). */
  accuracy_k_fixed: num,
  /** Edge detection at the truth-free threshold (ours). */
  edge_precision: num,
  edge_recall: num,
  iterations: z.number().int().nullable(),
  training_seconds: num,
  paper: z.object({ W_r2: z.string().nullable(), W_slope: z.string().nullable(), clustering: z.string().nullable() }),
});
export type ExperimentRow = z.infer<typeof experimentRowSchema>;

/** runs/<id>[-small]/summary.json: an experiment over its configs (cli/experiment-report.ts). */
export const experimentSummarySchema = z.object({
  experiment: z.string(),
  scale: z.enum(["paper", "small"]),
  rows: z.array(experimentRowSchema),
});
export type ExperimentSummary = z.infer<typeof experimentSummarySchema>;

/** The first problem of a failed parse as "field.path: message". */
function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  return `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`;
}

/** Parse JSON `text` of `path` with `schema`, naming the file and the field on error. */
function parseWith<T>(path: string, text: string, schema: ZodType<T, ZodTypeDef, unknown>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RunFolderError(`${path}: malformed JSON (${(e as Error).message}); fix or delete it`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new RunFolderError(`${path}: not a valid ${what} (${firstIssue(r.error)}); fix or delete it`);
  return r.data;
}

/** Read and validate a JSON file; undefined when it does not exist. */
function readJson<T>(path: string, schema: ZodType<T, ZodTypeDef, unknown>, what: string): T | undefined {
  if (!existsSync(path)) return undefined;
  return parseWith(path, readFileSync(path, "utf8"), schema, what);
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export const readTrainingSummary = (path: string) => readJson(path, trainingSummarySchema, "training summary");
export const writeTrainingSummary = (path: string, s: TrainingSummary) => writeJson(path, s);
export const readClustering = (path: string) => readJson(path, clusteringSchema, "clustering record");
export const writeClustering = (path: string, c: ClusteringRecord) => writeFileAtomic(path, JSON.stringify(c));
export const readResults = (path: string) => readJson(path, resultsSchema, "results file") ?? {};
export const readRunTimings = (path: string) => readJson(path, runTimingsSchema, "run timings file");
export const writeRunTimings = (path: string, t: RunTimings) => writeJson(path, t);
export const readExperimentSummary = (path: string) => readJson(path, experimentSummarySchema, "experiment summary");
export const writeExperimentSummary = (path: string, s: ExperimentSummary) => writeJson(path, s);

/** The recordings of a metrics.jsonl file (empty if there is none), each line validated. */
export function readRecordings(path: string): Recording[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line, k) => parseWith(`${path}:${k + 1}`, line, recordingSchema, "recording"));
}

/**
 * W R² against training iterations of the run folder `runDir`, from its models/metrics.jsonl:
 * [total iterations, W R²] in iteration order, recordings without an R² (no true W, or not
 * finite) left out; empty without recordings. The points of a multi-run overlay (Supp Figs 7, 9).
 */
export function readR2History(runDir: string): [number, number][] {
  return readRecordings(runLayout(runDir).trainingMetrics)
    .filter((r): r is Recording & { W_r2: number } => r.W_r2 !== null && Number.isFinite(r.W_r2))
    .map((r): [number, number] => [r.total_iterations, r.W_r2])
    .sort((a, b) => a[0] - b[0]);
}

export function appendRecording(path: string, r: Recording): void {
  appendFileSync(path, `${JSON.stringify(r)}\n`);
}

/** Keep only the recordings up to `totalIterations` (after a resume); returns the last one kept. */
export function truncateRecordings(path: string, totalIterations: number): Recording | undefined {
  const all = readRecordings(path);
  const keep = all.filter((r) => r.total_iterations <= totalIterations);
  if (keep.length !== all.length) writeFileAtomic(path, keep.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return keep[keep.length - 1];
}

/**
 * Merge `part` into results/metrics.json (shared by plot and test): top-level keys are replaced,
 * except objects present on both sides, which are merged one level down. A malformed file is
 * reported, never overwritten.
 */
export function mergeResults(path: string, part: Results): void {
  const existing: Record<string, unknown> = readResults(path);
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const merged = { ...existing };
  for (const [k, v] of Object.entries(part)) merged[k] = isObject(v) && isObject(existing[k]) ? { ...existing[k], ...v } : v;
  writeJson(path, merged);
}
