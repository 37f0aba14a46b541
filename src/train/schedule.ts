/**
 * The reference's training schedule (spec 4.2, 4.5, variants §0.3): iterations per epoch, the 21
 * recordings of an epoch, when the clustering step runs, the learning rates at the start and after
 * each epoch, and the loss coefficients of each epoch.
 */
import type { Config } from "../config/schema.js";
import type { LearningRates } from "../model/adam.js";
import type { LossCoeffs } from "../model/regularisers.js";
import { type Schedule, recordingPeriod } from "../run-folder/files.js";

export type { Schedule };

/** The learning rate the reference uses to freeze a parameter group. */
export const FROZEN_LR = 1e-12;

/** Iterations per epoch = int((nFrames · data_augmentation_loop // batch_size) · 0.2) (spec 4.2). */
export function iterationsPerEpoch(nFrames: number, augmentation: number, batchSize: number): number {
  return Math.floor(Math.floor((nFrames * augmentation) / batchSize) * 0.2);
}

/**
 * The schedule of a config on `nFrames` usable frames; `epochs` and `perEpoch` override the
 * config's (perEpoch: every epoch). With first_epoch_batch_size (neural-gnn's), epoch 0 has the
 * iterations of an epoch at that batch size: every epoch sees as many frames.
 */
export function makeSchedule(t: Config["training"], nFrames: number, epochs?: number, perEpoch?: number): Schedule {
  const count = (batch: number) => {
    const n = perEpoch ?? iterationsPerEpoch(nFrames, t.data_augmentation_loop, batch);
    if (n < 1) throw new Error(`iterations per epoch = ${n}: the dataset is too small for batch size ${batch}`);
    return n;
  };
  const niter = count(t.batch_size);
  const first = t.first_epoch_batch_size > 0 ? count(t.first_epoch_batch_size) : niter;
  return {
    epochs: epochs ?? t.n_epochs,
    iterationsPerEpoch: niter,
    batchSize: t.batch_size,
    plotFrequency: recordingPeriod(niter),
    ...(first !== niter ? { firstEpochIterations: first } : {}),
  };
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

/**
 * The batch size of `epoch`: in epoch 0 first_epoch_batch_size when set (neural-gnn's), else 1 with
 * small_init_batch_size (the reference's); schedule.batchSize otherwise.
 */
export function batchSizeOf(epoch: number, schedule: Schedule, t: Config["training"]): number {
  if (epoch !== 0) return schedule.batchSize;
  if (t.first_epoch_batch_size > 0) return t.first_epoch_batch_size;
  return t.small_init_batch_size ? 1 : schedule.batchSize;
}

export function startRates(t: Config["training"]): LearningRates {
  return {
    W: t.learning_rate_W_start,
    a: t.learning_rate_embedding_start,
    phi: t.learning_rate_start,
    psi: t.learning_rate_start,
  };
}

/** Epoch 0's rates: the start rates, times first_epoch_learning_rate_W_scale (W) and _scale (the others). */
export function firstEpochRates(t: Config["training"]): LearningRates {
  const r = startRates(t);
  const s = t.first_epoch_learning_rate_scale;
  return { W: r.W * t.first_epoch_learning_rate_W_scale, a: r.a * s, phi: r.phi * s, psi: r.psi * s };
}

/**
 * The rates after `epoch` ends: after a clustering step with fix_cluster_embedding, psi* and a are
 * frozen for one epoch; otherwise their start rates come back (W and phi* keep theirs, which after
 * epoch 0 are phi*'s start rate and W's times later_epochs_learning_rate_W_scale).
 */
export function ratesAfterEpoch(rates: LearningRates, t: Config["training"], clustered: boolean, epoch: number): LearningRates {
  const W = t.learning_rate_W_start * t.later_epochs_learning_rate_W_scale;
  const kept = epoch === 0 ? { ...rates, W, phi: t.learning_rate_start } : rates;
  return clustered && t.fix_cluster_embedding
    ? { ...kept, psi: FROZEN_LR, a: FROZEN_LR }
    : clustered
      ? kept
      : { ...kept, psi: t.learning_rate_start, a: t.learning_rate_embedding_start };
}

/**
 * The loss coefficients of `epoch` (variants §0.3, the reference's LossRegularizer._update_coeffs).
 * With E = n_epochs_init > 0: λ_L1 = first_coeff_L1 and λ_ed = coeff_edge_diff for epoch < E, then
 * λ_L1 = coeff_W_L1 and λ_ed = 0. With E = 0: coeff_W_L1 and coeff_edge_diff in every epoch.
 * λ_φ0 = coeff_lin_phi_zero always; the edge_diff step δ = xnorm / 150 (xnorm of the data).
 */
export function lossCoeffsOf(epoch: number, t: Config["training"], xnorm: number): LossCoeffs {
  const E = t.n_epochs_init;
  const init = E > 0 && epoch < E;
  return {
    phiZero: t.coeff_lin_phi_zero,
    edgeDiff: E === 0 || init ? t.coeff_edge_diff : 0,
    edgeDelta: xnorm / 150,
    WL1: init ? t.first_coeff_L1 : t.coeff_W_L1,
  };
}
