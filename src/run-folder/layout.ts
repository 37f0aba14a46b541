/**
 * The run folder `runs/<config name>/`, its layout in one place:
 *   config.yaml            the resolved config of the last generate/train
 *   data/                  the dataset (format: simulate/dataset.ts)
 *   models/                checkpoints epoch_E_iter_I / epoch_E_end.safetensors, resume.safetensors,
 *                          with a learned Ω* each also as <name>.siren.safetensors,
 *                          metrics.jsonl, training.json, clustering_epoch_E.json, config.yaml
 *   figures/               every panel as <figure id>.svg and .png (ids: figures.ts)
 *   results/metrics.json   the numbers of plot and test
 *   run.json               step timings of the last `run`
 *   report.html            the report
 *   .lock                  the process working on the folder (lock.ts)
 */
import { join, resolve } from "node:path";

/** File names inside models/. */
export const MODEL_FILES = {
  resume: "resume.safetensors",
  metrics: "metrics.jsonl",
  summary: "training.json",
  config: "config.yaml",
} as const;

/** The checkpoint written after iteration `iteration` of `epoch` (0-based), or at the epoch's end. */
export function checkpointName(epoch: number, iteration?: number): string {
  return iteration === undefined ? `epoch_${epoch}_end.safetensors` : `epoch_${epoch}_iter_${iteration}.safetensors`;
}

/**
 * The learned Ω* (Figure 3's SIREN and its Adam state) saved with the GNN file `name` (a
 * checkpoint, an interrupted model or the resume state; a bare name or a path):
 * epoch_E_iter_I.safetensors → epoch_E_iter_I.siren.safetensors.
 */
export function sirenFileName(name: string): string {
  return name.replace(/(\.safetensors)?$/, ".siren.safetensors");
}

/** The record of the clustering step after `epoch`. */
export function clusteringName(epoch: number): string {
  return `clustering_epoch_${epoch}.json`;
}

/** The model saved when a training is interrupted between recordings (not a checkpoint of the schedule). */
export function interruptedName(epoch: number, iteration: number): string {
  return `interrupted_epoch_${epoch}_iter_${iteration}.safetensors`;
}

export type RunLayout = ReturnType<typeof runLayout>;

/** The files and folders of the run folder `root`. */
export function runLayout(root: string) {
  const models = join(root, "models");
  return {
    root,
    config: join(root, "config.yaml"),
    data: join(root, "data"),
    figures: join(root, "figures"),
    results: join(root, "results"),
    /** results/metrics.json, shared by plot and test. */
    metrics: join(root, "results", "metrics.json"),
    models,
    resume: join(models, MODEL_FILES.resume),
    trainingMetrics: join(models, MODEL_FILES.metrics),
    summary: join(models, MODEL_FILES.summary),
    /** Step timings of the last `run`. */
    run: join(root, "run.json"),
    report: join(root, "report.html"),
    lock: join(root, ".lock"),
  };
}

/** Layout of the run folder `runsDir/<name>/`. */
export function runPaths(runsDir: string, name: string): RunLayout {
  return runLayout(resolve(runsDir, name));
}
