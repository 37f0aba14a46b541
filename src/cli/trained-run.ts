/** What `plot` and `test` need of a trained run: config, layout, training summary, checkpoint, truth, signal model. */
import { realpathSync } from "node:fs";
import { basename, resolve } from "node:path";
import { type Truth, truthFor } from "../analysis/evaluate.js";
import type { LoadedConfig } from "../config/load.js";
import type { ModelShape } from "../model/params.js";
import { type CheckpointFile, finalCheckpoint, listCheckpoints } from "../run-folder/checkpoints.js";
import { type TrainingSummary, readTrainingSummary } from "../run-folder/files.js";
import type { RunLayout } from "../run-folder/layout.js";
import { signalModel } from "../signal/registry.js";
import type { SignalModel, TypeParams } from "../signal/signal-model.js";
import type { DatasetMeta } from "../simulate/dataset.js";
import { loadTruth } from "../train/data.js";
import { datasetFingerprint } from "./dataset.js";

export interface TrainedRun {
  loaded: LoadedConfig;
  paths: RunLayout;
  summary: TrainingSummary;
  /** The dataset folder trained on (absolute). */
  dataDir: string;
  dataset: DatasetMeta;
  checkpoints: CheckpointFile[];
  chosen: CheckpointFile;
  model: SignalModel;
  /** Per-type parameters: from dataset.json, else the config. */
  params: TypeParams;
  truth: Truth;
  N: number;
  shape: ModelShape;
}

/** Which checkpoint to open, and the data folder the caller expects (checked against the training's). */
export interface OpenOptions {
  /** This checkpoint instead of the final one. */
  checkpoint?: string;
  /** --data: accepted when it is the folder the run was trained on, an error otherwise. */
  data?: string;
}

/** Open the training in run folder `paths` of config `loaded`. */
export function openTrainedRun(loaded: LoadedConfig, paths: RunLayout, { checkpoint, data }: OpenOptions = {}): TrainedRun {
  const model = signalModel(loaded.config, loaded.file);
  const summary = readTrainingSummary(paths.summary);
  if (!summary) {
    throw new Error(`no training in ${paths.models} (training.json missing): run "neural-gnn train" on this config first`);
  }
  const dataDir = resolve(paths.root, summary.data);
  if (data !== undefined && !sameFolder(data, dataDir)) {
    throw new Error(
      `--data ${data}: the training in ${paths.models} was on ${dataDir} (training.json); ` +
        "plot and test evaluate on that folder: leave out --data, or train on this one",
    );
  }
  if (summary.data_fingerprint && datasetFingerprint(dataDir) !== summary.data_fingerprint) {
    throw new Error(
      `${dataDir}: the data changed after the training in ${paths.models} (regenerated?); ` +
        `train again ("neural-gnn train --force") before evaluating`,
    );
  }
  const checkpoints = listCheckpoints(paths.models, summary.schedule);
  const chosen = checkpoint
    ? { path: checkpoint, name: basename(checkpoint), epoch: -1, totalIterations: Number.NaN }
    : finalCheckpoint(checkpoints);
  if (!chosen) throw new Error(`${paths.models}: no checkpoints`);
  const { meta, W, types, nTypes } = loadTruth(dataDir);
  const params = meta.params?.length ? meta.params : loaded.config.simulation.params;
  const N = meta.n_neurons;
  return {
    loaded,
    paths,
    summary,
    dataDir,
    dataset: meta,
    checkpoints,
    chosen,
    model,
    params,
    truth: truthFor(model, params, W, types, nTypes),
    N,
    shape: model.modelShape(N, loaded.config.graph_model),
  };
}

/** Whether paths a and b name one folder (through symbolic links where both exist). */
function sameFolder(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}
