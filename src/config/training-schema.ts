/** The training section of the config schema (the reference's TrainingConfig, with its defaults and ranges). */
import { z } from "zod";
import { LIMITS, bool, count, int, nonNeg, num, nums, oneOf, positive, str } from "./fields.js";

/**
 * neural-gnn's own training keys (not in the reference; at their defaults they train as the
 * reference does), in the order versions added them: resume hashes rely on the order.
 */
export const TRAINING_EXTENSION_KEYS = [
  "W_init",
  "first_epoch_batch_size",
  "first_epoch_learning_rate_scale",
  "first_epoch_learning_rate_W_scale",
  "later_epochs_learning_rate_W_scale",
] as const;

export const trainingSchema = z
  .object({
    device: z
      .string()
      .regex(/^(auto|cpu|cuda:\d+)$/, "must be auto, cpu or cuda:N")
      .default("auto"),
    n_epochs: count(20, { max: 1_000_000 }),
    // Declared twice in the reference (99999, then 0): the later declaration wins.
    n_epochs_init: int(0, { min: 0 }),
    epoch_reset: int(-1, { min: -1 }),
    epoch_reset_freq: count(99999),
    batch_size: count(1, { max: LIMITS.maxBatchSize, why: "a batch holds batch_size frames of every neuron" }),
    batch_ratio: positive(1, { max: 1 }),
    small_init_batch_size: bool(true),
    /**
     * neural-gnn extension (not in the reference): the batch size of epoch 0 only; 0 = the
     * reference's rule (1 with small_init_batch_size, else batch_size, for the same iterations).
     * Epoch 0 then has the iterations of an epoch at this batch size (as many frames as every
     * epoch); later epochs are the config's.
     */
    first_epoch_batch_size: int(0, { min: 0, max: LIMITS.maxBatchSize }),
    /**
     * neural-gnn extension (not in the reference): epoch 0's learning rates as multiples of the
     * start rates, phi*, psi* and a by first_epoch_learning_rate_scale, W by
     * first_epoch_learning_rate_W_scale; from epoch 1 on the config's rates. 1 = the reference.
     */
    first_epoch_learning_rate_scale: positive(1, { max: 1000 }),
    first_epoch_learning_rate_W_scale: positive(1, { max: 1000 }),
    /**
     * neural-gnn extension (not in the reference): W's learning rate from epoch 1 on, as a multiple
     * of learning_rate_W_start. 1 = the reference. The fast recipe's 1/8: from W = 0 the learned W
     * settles ~10× smaller than from 𝒩(0, 1) noise (W and psi* trade scale), so Adam's fixed step
     * is ~10× larger relative to W, and in batches of 8 that noise spoils W and phi*.
     */
    later_epochs_learning_rate_W_scale: positive(1, { max: 1000 }),
    embedding_step: count(1000),
    shared_embedding: bool(false),
    embedding_trial: bool(false),
    remove_self: bool(true),
    pretrained_model: str(""),
    pre_trained_W: str(""),
    multi_connectivity: bool(false),
    with_connectivity_mask: bool(false),
    has_missing_activity: bool(false),
    epoch_distance_replace: int(20, { min: 0 }),
    warm_up_length: int(10, { min: 0 }),
    sequence_length: count(32),
    denoiser: bool(false),
    denoiser_type: oneOf(["none", "window", "LSTM", "Gaussian_filter", "wavelet"], "none"),
    denoiser_param: nonNeg(1),
    training_selected_neurons: bool(false),
    selected_neuron_ids: nums([1]),
    time_window: int(0, { min: 0 }),
    n_runs: count(2),
    seed: int(42),
    clamp: nonNeg(0),
    pred_limit: positive(1e10),
    particle_dropout: num(0, { min: 0, max: 0.999 }),
    n_ghosts: int(0, { min: 0 }),
    ghost_method: oneOf(["none", "tensor", "MLP"], "none"),
    ghost_logvar: num(-12),
    sparsity_freq: count(5),
    sparsity: oneOf(["none", "replace_embedding", "replace_embedding_function", "replace_state", "replace_track"], "none"),
    fix_cluster_embedding: bool(false),
    cluster_method: oneOf(
      [
        "kmeans",
        "kmeans_auto_plot",
        "kmeans_auto_embedding",
        "distance_plot",
        "distance_embedding",
        "distance_both",
        "inconsistent_plot",
        "inconsistent_embedding",
        "none",
      ],
      "distance_plot",
    ),
    cluster_distance_threshold: positive(0.01),
    cluster_connectivity: oneOf(["single", "average"], "single"),
    Ising_filter: str("none"),
    init_training_single_type: bool(false),
    training_single_type: bool(false),
    low_rank_factorization: bool(false),
    low_rank: count(20),
    learning_rate_start: nonNeg(0.001),
    learning_rate_embedding_start: nonNeg(0.001),
    learning_rate_update_start: nonNeg(0),
    learning_rate_modulation_start: nonNeg(0.0001),
    /**
     * neural-gnn extension (not in the reference): how W starts, "normal" = the reference's 𝒩(0, 1)
     * noise, "zeros" = W = 0 (the fast recipe; psi* then gets its first gradient through W).
     */
    W_init: oneOf(["normal", "zeros"], "normal"),
    learning_rate_W_start: nonNeg(0.0001),
    learning_rate_end: nonNeg(0.0005),
    learning_rate_embedding_end: nonNeg(0.0001),
    learning_rate_modulation_end: nonNeg(0.0001),
    Learning_rate_W_end: nonNeg(0.0001),
    learning_rate_missing_activity: nonNeg(0.0001),
    learning_rate_NNR: nonNeg(0.0001),
    learning_rate_NNR_f_start: nonNeg(0),
    learning_rate_NNR_f: nonNeg(0.0001),
    learning_rate_omega_f: nonNeg(0.0001),
    coeff_omega_f_L2: nonNeg(0),
    training_NNR_start_epoch: int(0, { min: 0 }),
    learning_rate_encoder: nonNeg(0.0001),
    learning_rate_latent_update: nonNeg(0.0001),
    learning_rate_decoder: nonNeg(0.0001),
    coeff_W_L1: nonNeg(0),
    coeff_W_L1_rate: nonNeg(0.5),
    coeff_W_L1_ghost: nonNeg(0),
    coeff_W_L2: nonNeg(0),
    coeff_W_sign: nonNeg(0),
    W_sign_temperature: positive(10),
    first_coeff_L1: nonNeg(0),
    coeff_lin_phi_zero: nonNeg(0),
    coeff_entropy_loss: nonNeg(0),
    coeff_edge_diff: nonNeg(0),
    coeff_update_diff: nonNeg(0),
    coeff_update_msg_diff: nonNeg(0),
    coeff_update_msg_sign: nonNeg(0),
    coeff_update_u_diff: nonNeg(0),
    coeff_NNR_f: nonNeg(0),
    coeff_permutation: nonNeg(100),
    coeff_TV_norm: nonNeg(0),
    coeff_missing_activity: nonNeg(0),
    coeff_edge_norm: nonNeg(0),
    coeff_edge_weight_L1: nonNeg(0),
    coeff_edge_weight_L1_rate: nonNeg(0.5),
    coeff_phi_weight_L1: nonNeg(0),
    coeff_phi_weight_L1_rate: nonNeg(0.5),
    coeff_edge_weight_L2: nonNeg(0),
    coeff_phi_weight_L2: nonNeg(0),
    coeff_model_a: nonNeg(0),
    coeff_model_b: nonNeg(0),
    coeff_lin_modulation: nonNeg(0),
    coeff_continuous: nonNeg(0),
    noise_level: nonNeg(0),
    measurement_noise_level: nonNeg(0),
    noise_model_level: nonNeg(0),
    loss_noise_level: nonNeg(0),
    learn_external_input: bool(false),
    data_augmentation_loop: count(40),
    recurrent_training: bool(false),
    recurrent_training_start_epoch: int(0, { min: 0 }),
    recurrent_loop: int(0, { min: 0 }),
    noise_recurrent_level: nonNeg(0),
    neural_ODE_training: bool(false),
    ode_method: oneOf(["dopri5", "rk4", "euler", "midpoint", "heun3"], "dopri5"),
    ode_rtol: positive(1e-4),
    ode_atol: positive(1e-5),
    ode_adjoint: bool(true),
    ode_state_clamp: positive(10),
    ode_stab_lambda: nonNeg(0),
    grad_clip_W: nonNeg(0),
    time_step: count(1),
    recurrent_sequence: str(""),
    recurrent_parameters: nums([0, 0]),
    regul_matrix: bool(false),
    sub_batches: count(1),
    sequence: z.array(z.string()).default(["to track", "to cell"]),
    MPM_trainer: str("F"),
  })
  .strict();

/** The training section's defaults: neural-gnn's keys at the reference's behaviour. */
export const TRAINING_DEFAULTS = trainingSchema.parse({});
