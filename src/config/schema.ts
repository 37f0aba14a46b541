/**
 * The config schema: the reference implementation's YAML schema (sections simulation, graph_model,
 * plotting, training, claude, zarr), with its defaults. It is the single source of truth for config
 * types, defaults and validation. Unknown keys are errors (as in the reference, `extra="forbid"`).
 * Keys stay snake_case exactly as in the reference's YAML.
 */
import { z } from "zod";

/** Numbers may be written as numeric strings in YAML ('1.0E6'), as the reference accepts them. */
const numeric = (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);
const num = (d: number) => z.preprocess(numeric, z.number()).default(d);
const int = (d: number) => z.preprocess(numeric, z.number().int()).default(d);
const bool = (d: boolean) => z.boolean().default(d);
const str = (d: string) => z.string().default(d);
const nums = (d: number[]) => z.array(z.preprocess(numeric, z.number())).default(d);
const oneOf = <T extends [string, ...string[]]>(values: T, d: T[number]) => z.enum(values).default(d);

export const simulationSchema = z
  .object({
    dimension: int(2),
    n_frames: int(1000),
    start_frame: int(0),
    seed: int(42),
    model_id: str("000"),
    ensemble_id: str("0000"),
    sub_sampling: int(1),
    delta_t: num(1),
    boundary: oneOf(["periodic", "no", "periodic_special", "wall"], "periodic"),
    min_radius: num(0),
    max_radius: num(0.1),
    n_neurons: int(1000),
    n_neuron_types: int(5),
    n_input_neurons: int(0),
    n_edges: int(0),
    max_edges: num(1e6),
    n_extra_null_edges: int(0),
    baseline_value: num(-999),
    shuffle_neuron_types: bool(false),
    noise_visual_input: num(0),
    only_noise_visual_input: num(0),
    visual_input_type: str(""),
    blank_freq: int(2),
    simulation_initial_state: bool(false),
    external_input_type: oneOf(["none", "signal", "visual", "modulation"], "none"),
    external_input_mode: oneOf(["additive", "multiplicative", "none"], "none"),
    permutation: bool(false),
    signal_input_type: oneOf(["oscillatory", "triggered"], "oscillatory"),
    oscillation_max_amplitude: num(1),
    oscillation_frequency: num(5),
    triggered_n_impulses: int(5),
    triggered_n_input_neurons: int(10),
    triggered_impulse_strength: num(5),
    triggered_min_start_frame: int(50),
    triggered_max_start_frame: int(150),
    triggered_duration_frames: int(200),
    triggered_amplitude_range: nums([0.5, 2.0]),
    triggered_frequency_range: nums([0.5, 2.0]),
    tile_contrast: num(0.2),
    tile_corr_strength: num(0),
    tile_flip_prob: num(0.05),
    tile_seed: int(42),
    n_nodes: z.preprocess(numeric, z.number().int()).nullable().default(null),
    node_value_map: z.string().nullable().default("input_data/pattern_Null.tif"),
    adjacency_matrix: str(""),
    short_term_plasticity_mode: str("depression"),
    connectivity_file: str(""),
    connectivity_init: nums([-1]),
    connectivity_filling_factor: num(1),
    connectivity_type: str("none"),
    connectivity_rank: int(1),
    connectivity_parameter: num(1),
    Dale_law: bool(false),
    Dale_law_factor: num(0.5),
    excitation_value_map: z.string().nullable().default(null),
    excitation: str("none"),
    params: z.array(z.array(z.preprocess(numeric, z.number())).min(1)).min(1),
    func_params: z.array(z.array(z.unknown())).nullable().default(null),
    phi: str("tanh"),
    tau: num(1),
    sigma: num(0.005),
    calcium_type: oneOf(["none", "leaky", "multi-compartment", "saturation"], "none"),
    calcium_activation: oneOf(["softplus", "relu", "identity", "tanh"], "softplus"),
    calcium_tau: num(0.5),
    calcium_alpha: num(1),
    calcium_beta: num(0),
    calcium_initial: num(0),
    calcium_noise_level: num(0),
    calcium_saturation_kd: num(1),
    calcium_num_compartments: int(1),
    calcium_down_sample: int(1),
    pos_init: str("uniform"),
    dpos_init: num(0),
    noise_model_level: num(0),
  })
  .strict();

export const graphModelSchema = z
  .object({
    particle_model_name: str(""),
    cell_model_name: str(""),
    mesh_model_name: str(""),
    signal_model_name: str(""),
    prediction: oneOf(["first_derivative", "2nd_derivative", "next_activity"], "2nd_derivative"),
    integration: oneOf(["Euler", "Runge-Kutta"], "Euler"),
    aggr_type: z.string(),
    embedding_dim: int(2),
    field_type: str(""),
    field_grid: z.string().nullable().default(""),
    input_size: int(1),
    output_size: int(1),
    hidden_dim: int(1),
    n_layers: int(1),
    input_size_2: int(1),
    output_size_2: int(1),
    hidden_dim_2: int(1),
    n_layers_2: int(1),
    input_size_decoder: int(1),
    output_size_decoder: int(1),
    hidden_dim_decoder: int(256),
    n_layers_decoder: int(3),
    input_size_encoder: int(1),
    output_size_encoder: int(1),
    hidden_dim_encoder: int(256),
    n_layers_encoder: int(3),
    lin_edge_positive: bool(false),
    update_type: oneOf(
      [
        "linear",
        "mlp",
        "pre_mlp",
        "2steps",
        "none",
        "no_pos",
        "generic",
        "excitation",
        "generic_excitation",
        "embedding_MLP",
        "test_field",
      ],
      "none",
    ),
    MLP_activation: oneOf(["relu", "tanh", "sigmoid", "leaky_relu", "soft_relu", "none"], "relu"),
    input_size_update: int(3),
    n_layers_update: int(3),
    hidden_dim_update: int(64),
    output_size_update: int(1),
    kernel_type: str("mlp"),
    input_size_nnr: int(3),
    n_layers_nnr: int(5),
    hidden_dim_nnr: int(128),
    output_size_nnr: int(1),
    outermost_linear_nnr: bool(true),
    omega: num(80),
    input_size_nnr_f: int(3),
    n_layers_nnr_f: int(5),
    hidden_dim_nnr_f: int(128),
    output_size_nnr_f: int(1),
    outermost_linear_nnr_f: bool(true),
    omega_f: num(80),
    omega_f_learning: bool(false),
    nnr_f_xy_period: num(1),
    nnr_f_T_period: num(1),
    inr_type: oneOf(["siren_t", "siren_id", "siren_x", "ngp", "lowrank"], "siren_t"),
    lowrank_rank: int(64),
    lowrank_svd_init: bool(true),
    ngp_n_levels: int(24),
    ngp_n_features_per_level: int(2),
    ngp_log2_hashmap_size: int(22),
    ngp_base_resolution: int(16),
    ngp_per_level_scale: num(1.4),
    ngp_n_neurons: int(128),
    ngp_n_hidden_layers: int(4),
    input_size_modulation: int(2),
    n_layers_modulation: int(3),
    hidden_dim_modulation: int(64),
    output_size_modulation: int(1),
    input_size_excitation: int(3),
    n_layers_excitation: int(5),
    hidden_dim_excitation: int(128),
    excitation_dim: int(1),
    latent_dim: int(64),
    latent_update_steps: int(50),
    stochastic_latent: bool(true),
    latent_init_std: num(1),
    latent_n_layers_update: int(2),
    latent_hidden_dim_update: int(64),
  })
  .strict();

export const plottingSchema = z
  .object({
    colormap: str("tab10"),
    arrow_length: int(10),
    marker_size: int(100),
    xlim: nums([-0.1, 0.1]),
    ylim: nums([-0.1, 0.1]),
    embedding_lim: nums([-40, 40]),
    speedlim: nums([0, 1]),
    pic_folder: str("none"),
    pic_format: str("jpg"),
    pic_size: nums([1000, 1100]),
    data_embedding: int(1),
    plot_batch_size: int(1000),
    label_style: str("MLP"),
    mlp0_xlim: nums([-5, 5]),
    mlp0_ylim: nums([-8, 8]),
    mlp1_xlim: nums([-5, 5]),
    mlp1_ylim: nums([-1.1, 1.1]),
    norm_method: str("median"),
    norm_x_start: z.preprocess(numeric, z.number()).nullable().default(null),
    norm_x_stop: z.preprocess(numeric, z.number()).nullable().default(null),
  })
  .strict();

export const trainingSchema = z
  .object({
    device: z
      .string()
      .regex(/^(auto|cpu|cuda:\d+)$/, "must be auto, cpu or cuda:N")
      .default("auto"),
    n_epochs: int(20),
    // Declared twice in the reference (99999, then 0): the later declaration wins.
    n_epochs_init: int(0),
    epoch_reset: int(-1),
    epoch_reset_freq: int(99999),
    batch_size: int(1),
    batch_ratio: num(1),
    small_init_batch_size: bool(true),
    embedding_step: int(1000),
    shared_embedding: bool(false),
    embedding_trial: bool(false),
    remove_self: bool(true),
    pretrained_model: str(""),
    pre_trained_W: str(""),
    multi_connectivity: bool(false),
    with_connectivity_mask: bool(false),
    has_missing_activity: bool(false),
    epoch_distance_replace: int(20),
    warm_up_length: int(10),
    sequence_length: int(32),
    denoiser: bool(false),
    denoiser_type: oneOf(["none", "window", "LSTM", "Gaussian_filter", "wavelet"], "none"),
    denoiser_param: num(1),
    training_selected_neurons: bool(false),
    selected_neuron_ids: nums([1]),
    time_window: int(0),
    n_runs: int(2),
    seed: int(42),
    clamp: num(0),
    pred_limit: num(1e10),
    particle_dropout: num(0),
    n_ghosts: int(0),
    ghost_method: oneOf(["none", "tensor", "MLP"], "none"),
    ghost_logvar: num(-12),
    sparsity_freq: int(5),
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
    cluster_distance_threshold: num(0.01),
    cluster_connectivity: oneOf(["single", "average"], "single"),
    Ising_filter: str("none"),
    init_training_single_type: bool(false),
    training_single_type: bool(false),
    low_rank_factorization: bool(false),
    low_rank: int(20),
    learning_rate_start: num(0.001),
    learning_rate_embedding_start: num(0.001),
    learning_rate_update_start: num(0),
    learning_rate_modulation_start: num(0.0001),
    learning_rate_W_start: num(0.0001),
    learning_rate_end: num(0.0005),
    learning_rate_embedding_end: num(0.0001),
    learning_rate_modulation_end: num(0.0001),
    Learning_rate_W_end: num(0.0001),
    learning_rate_missing_activity: num(0.0001),
    learning_rate_NNR: num(0.0001),
    learning_rate_NNR_f_start: num(0),
    learning_rate_NNR_f: num(0.0001),
    learning_rate_omega_f: num(0.0001),
    coeff_omega_f_L2: num(0),
    training_NNR_start_epoch: int(0),
    learning_rate_encoder: num(0.0001),
    learning_rate_latent_update: num(0.0001),
    learning_rate_decoder: num(0.0001),
    coeff_W_L1: num(0),
    coeff_W_L1_rate: num(0.5),
    coeff_W_L1_ghost: num(0),
    coeff_W_L2: num(0),
    coeff_W_sign: num(0),
    W_sign_temperature: num(10),
    first_coeff_L1: num(0),
    coeff_lin_phi_zero: num(0),
    coeff_entropy_loss: num(0),
    coeff_edge_diff: num(0),
    coeff_update_diff: num(0),
    coeff_update_msg_diff: num(0),
    coeff_update_msg_sign: num(0),
    coeff_update_u_diff: num(0),
    coeff_NNR_f: num(0),
    coeff_permutation: num(100),
    coeff_TV_norm: num(0),
    coeff_missing_activity: num(0),
    coeff_edge_norm: num(0),
    coeff_edge_weight_L1: num(0),
    coeff_edge_weight_L1_rate: num(0.5),
    coeff_phi_weight_L1: num(0),
    coeff_phi_weight_L1_rate: num(0.5),
    coeff_edge_weight_L2: num(0),
    coeff_phi_weight_L2: num(0),
    coeff_model_a: num(0),
    coeff_model_b: num(0),
    coeff_lin_modulation: num(0),
    coeff_continuous: num(0),
    noise_level: num(0),
    measurement_noise_level: num(0),
    noise_model_level: num(0),
    loss_noise_level: num(0),
    learn_external_input: bool(false),
    data_augmentation_loop: int(40),
    recurrent_training: bool(false),
    recurrent_training_start_epoch: int(0),
    recurrent_loop: int(0),
    noise_recurrent_level: num(0),
    neural_ODE_training: bool(false),
    ode_method: oneOf(["dopri5", "rk4", "euler", "midpoint", "heun3"], "dopri5"),
    ode_rtol: num(1e-4),
    ode_atol: num(1e-5),
    ode_adjoint: bool(true),
    ode_state_clamp: num(10),
    ode_stab_lambda: num(0),
    grad_clip_W: num(0),
    time_step: int(1),
    recurrent_sequence: str(""),
    recurrent_parameters: nums([0, 0]),
    regul_matrix: bool(false),
    sub_batches: int(1),
    sequence: z.array(z.string()).default(["to track", "to cell"]),
    MPM_trainer: str("F"),
  })
  .strict();

export const claudeSchema = z
  .object({
    n_epochs: int(1),
    data_augmentation_loop: int(100),
    n_iter_block: int(24),
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the reference default is the literal 1.414
    ucb_c: num(1.414),
  })
  .strict();

export const zarrSchema = z
  .object({
    store_fluo: str(""),
    store_seg: str(""),
    axis: int(0),
    frame: int(0),
    contrast: str("1,99.9"),
    rendering: str("1,99.9"),
    dz_um: num(4),
    dy_um: num(0.406),
    dx_um: num(0.406),
    labels_opacity: num(0.7),
    show_boundaries: bool(false),
  })
  .strict();

export const configSchema = z
  .object({
    description: z.string().nullable().default("NeuralGraph"),
    dataset: z.string(),
    data_folder_name: str("none"),
    connectome_folder_name: str("none"),
    data_folder_mesh_name: str("none"),
    config_file: str("none"),
    simulation: simulationSchema,
    graph_model: graphModelSchema,
    claude: claudeSchema.nullable().default(null),
    plotting: plottingSchema,
    training: trainingSchema,
    zarr: zarrSchema.nullable().default(null),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type SimulationConfig = Config["simulation"];
export type GraphModelConfig = Config["graph_model"];
export type TrainingConfig = Config["training"];
export type PlottingConfig = Config["plotting"];

/** Known keys of each section, for "did you mean" suggestions. */
export function knownKeys(path: readonly (string | number)[]): string[] {
  let schema: z.ZodTypeAny = configSchema;
  for (const p of path) {
    const shape = objectShape(schema);
    if (!shape || typeof p !== "string" || !(p in shape)) return [];
    schema = shape[p];
  }
  const shape = objectShape(schema);
  return shape ? Object.keys(shape) : [];
}

function objectShape(schema: z.ZodTypeAny): Record<string, z.ZodTypeAny> | undefined {
  let s: z.ZodTypeAny = schema;
  for (;;) {
    if (s instanceof z.ZodObject) return s.shape as Record<string, z.ZodTypeAny>;
    if (s instanceof z.ZodDefault || s instanceof z.ZodNullable || s instanceof z.ZodOptional) {
      s = s._def.innerType;
      continue;
    }
    return undefined;
  }
}
