/**
 * The checkpoints a training wrote (models/epoch_E_iter_I.safetensors, epoch_E_end.safetensors),
 * with their true iteration counts, the final one, the columns of the training montage; and which
 * files of models/ belong to a training.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Schedule, epochIterations, iterationsBefore } from "./files.js";
import { MODEL_FILES } from "./layout.js";

export interface CheckpointFile {
  path: string;
  name: string;
  epoch: number;
  /** Iteration within the epoch (0-based), or undefined for an end-of-epoch file. */
  iteration?: number;
  /** Iterations done when it was written. */
  totalIterations: number;
}

/** All checkpoints in `dir`, by training order (an epoch's end file after its last iteration file). */
export function listCheckpoints(dir: string, schedule: Schedule): CheckpointFile[] {
  const out: CheckpointFile[] = [];
  for (const name of readdirSync(dir)) {
    const m = name.match(/^epoch_(\d+)_(?:iter_(\d+)|end)\.safetensors$/);
    if (!m) continue;
    const epoch = Number(m[1]);
    const iteration = m[2] === undefined ? undefined : Number(m[2]);
    const totalIterations =
      iterationsBefore(schedule, epoch) + (iteration === undefined ? epochIterations(schedule, epoch) : iteration + 1);
    out.push({ path: join(dir, name), name, epoch, iteration, totalIterations });
  }
  return out.sort(
    (a, b) => a.totalIterations - b.totalIterations || Number(a.iteration === undefined) - Number(b.iteration === undefined),
  );
}

/** The model to evaluate: the latest checkpoint; at equal iteration counts the intra-epoch file (as the reference). */
export function finalCheckpoint(list: readonly CheckpointFile[]): CheckpointFile | undefined {
  const last = list[list.length - 1];
  if (!last) return undefined;
  return list.find((c) => c.totalIterations === last.totalIterations && c.iteration !== undefined) ?? last;
}

/**
 * The reference's montage columns (spec 5.7): the first 3 intra-epoch checkpoints, then up to 5
 * more at stride ⌊rest/5⌋, the last column being the final checkpoint.
 */
export function montageColumns(list: readonly CheckpointFile[], columns = 8): CheckpointFile[] {
  const intra = list.filter((c) => c.iteration !== undefined);
  if (intra.length <= columns) return intra;
  const head = intra.slice(0, 3);
  const rest = intra.slice(3);
  const stride = Math.max(1, Math.floor(rest.length / (columns - 3)));
  const picked = [...head, ...rest.filter((_, k) => k % stride === 0).slice(0, columns - 3)];
  picked[picked.length - 1] = intra[intra.length - 1];
  return picked;
}

/** Files a training writes into models/: checkpoints, the resume state, metrics, summary, clustering steps. */
function isTrainingOutput(file: string): boolean {
  return (
    file.endsWith(".safetensors") ||
    file === MODEL_FILES.metrics ||
    file === MODEL_FILES.summary ||
    file.startsWith("clustering_epoch_")
  );
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

/** Remove the models saved at interrupts (a resumed training supersedes them). */
export function clearInterrupted(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir).filter((f) => f.startsWith("interrupted_"))) rmSync(join(dir, f), { force: true });
}
