/** What `plot` and `test` need of a trained run: config, paths, training summary, checkpoint and ground truth. */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Truth } from "../analysis/evaluate.js";
import { type LoadedConfig, loadConfig } from "../config/load.js";
import { writeFileAtomic } from "../io/atomic.js";
import type { ModelShape } from "../model/params.js";
import { type CheckpointFile, finalCheckpoint, listCheckpoints } from "../train/checkpoints.js";
import { type GroundTruth, loadGroundTruth } from "../train/data.js";
import { SUMMARY_FILE, type Schedule, modelShapeFor } from "../train/trainer.js";
import { DEFAULT_CONFIG, runPaths } from "./paths.js";

export interface TrainingSummary {
  schedule: Schedule;
  xnorm: number;
  data: string;
}

export interface TrainedRun {
  loaded: LoadedConfig;
  paths: ReturnType<typeof runPaths>;
  summary: TrainingSummary;
  checkpoints: CheckpointFile[];
  chosen: CheckpointFile;
  gt: GroundTruth;
  /** [g, s, c] per type: from dataset.json, else the config. */
  params: readonly (readonly number[])[];
  truth: Truth;
  N: number;
  shape: ModelShape;
}

export function openTrainedRun(configFile: string | undefined, set: string[], runs: string, checkpoint?: string): TrainedRun {
  const loaded = loadConfig(configFile ?? DEFAULT_CONFIG, set);
  const paths = runPaths(runs, loaded.name);
  const summaryPath = join(paths.models, SUMMARY_FILE);
  if (!existsSync(summaryPath)) {
    throw new Error(
      `no training in ${paths.models} (${SUMMARY_FILE} missing): run "neural-gnn train${configFile ? ` ${configFile}` : ""}" first`,
    );
  }
  const summary = JSON.parse(readFileSync(summaryPath, "utf8")) as TrainingSummary;
  const checkpoints = listCheckpoints(paths.models, summary.schedule.iterationsPerEpoch);
  const chosen = checkpoint
    ? { path: checkpoint, name: basename(checkpoint), epoch: -1, totalIterations: Number.NaN }
    : finalCheckpoint(checkpoints);
  if (!chosen) throw new Error(`${paths.models}: no checkpoints`);
  const gt = loadGroundTruth(summary.data);
  const params = gt.meta.params?.length ? gt.meta.params : loaded.config.simulation.params;
  const truth: Truth = { W: gt.W, types: gt.types, nTypes: gt.nTypes, params: gt.types ? params : undefined };
  const N = gt.meta.n_neurons;
  return { loaded, paths, summary, checkpoints, chosen, gt, params, truth, N, shape: modelShapeFor(loaded.config, N) };
}

/**
 * Merge `part` into the JSON object at `path` (results/metrics.json is shared by several commands):
 * top-level keys are replaced, except objects present on both sides, which are merged one level down.
 */
export function mergeJson(path: string, part: Record<string, unknown>): void {
  let existing: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      existing = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      throw new Error(`${path}: malformed JSON (${(e as Error).message}); fix or delete it to let this command rewrite it`);
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const merged = { ...existing };
  for (const [k, v] of Object.entries(part)) merged[k] = isObject(v) && isObject(existing[k]) ? { ...existing[k], ...v } : v;
  writeFileAtomic(path, `${JSON.stringify(merged, null, 2)}\n`);
}
