/**
 * The config schema: the reference implementation's YAML schema (sections simulation, graph_model,
 * plotting, training, claude, zarr), with its defaults. It is the single source of truth for config
 * types, defaults and validation. Unknown keys are errors (as in the reference, `extra="forbid"`).
 * Keys stay snake_case exactly as in the reference's YAML. Value ranges (counts ≥ 1, delta_t > 0,
 * rates ≥ 0, the size limits in `LIMITS`, more neurons than types, …) are checked here too, so every
 * command refuses the same configs when it loads them, before it writes anything.
 */
import { z } from "zod";

/** Numbers may be written as numeric strings in YAML ('1.0E6'), as the reference accepts them. */
const numeric = (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);

/**
 * Limits that keep a config's arrays allocatable. The true W and the learned W are N × N float32
 * (32768² values = 4 GiB each); the activity x and dx/dt are [stored frames, N] float32, each held
 * in one typed array by training (at most 2³² − 1 values = 16 GiB each, the largest typed array).
 */
export const LIMITS = {
  maxNeurons: 32_768,
  maxFrames: 100_000_000,
  maxActivityValues: 2 ** 32 - 1,
  /** Stored frames (rows of activity.npy) that training needs at least. */
  minStoredFrames: 8,
  /** Width of any MLP layer (hidden_dim …): a layer has width² weights. */
  maxWidth: 8192,
  maxLayers: 100,
  maxEmbeddingDim: 1024,
  /** Frames per training batch: the trainer holds batch_size × N values per activation. */
  maxBatchSize: 4096,
} as const;

/** Range of a numeric key: `gt` (exclusive) or `min`, and `max` (inclusive); `why` explains `max`. */
interface Range {
  gt?: number;
  min?: number;
  max?: number;
  why?: string;
}

function bounded(base: z.ZodNumber, r: Range): z.ZodNumber {
  let s = base.finite("must be a finite number");
  if (r.gt !== undefined) s = s.gt(r.gt, `must be > ${r.gt}`);
  if (r.min !== undefined) s = s.gte(r.min, `must be ≥ ${r.min}`);
  if (r.max !== undefined) s = s.lte(r.max, `must be ≤ ${r.max}${r.why ? ` (${r.why})` : ""}`);
  return s;
}
const number = (r: Range = {}) => z.preprocess(numeric, bounded(z.number(), r));
const integer = (r: Range = {}) =>
  z.preprocess(
    numeric,
    bounded(z.number().int("must be an integer"), {
      ...r,
      min: r.min ?? (r.gt === undefined ? Number.MIN_SAFE_INTEGER : undefined),
      max: r.max ?? Number.MAX_SAFE_INTEGER,
    }),
  );
const num = (d: number, r: Range = {}) => number(r).default(d);
const int = (d: number, r: Range = {}) => integer(r).default(d);
/** Counts and sizes: integers ≥ 1. */
const count = (d: number, r: Omit<Range, "min" | "gt"> = {}) => int(d, { min: 1, ...r });
/** Amounts that cannot be negative (noise levels, learning rates, regulariser weights). */
const nonNeg = (d: number, r: Omit<Range, "min" | "gt"> = {}) => num(d, { min: 0, ...r });
const positive = (d: number, r: Omit<Range, "min" | "gt"> = {}) => num(d, { gt: 0, ...r });
const fraction = (d: number) => num(d, { min: 0, max: 1 });
const width = (d: number) => count(d, { max: LIMITS.maxWidth, why: "an MLP layer has width² weights" });
const layers = (d: number) => count(d, { max: LIMITS.maxLayers });
const bool = (d: boolean) => z.boolean().default(d);
const str = (d: string) => z.string().default(d);
const nums = (d: number[]) => z.array(number()).default(d);
/** An axis range [lo, hi] with lo < hi. */
const lim = (d: [number, number]) =>
  z
    .array(number())
    .length(2, "must be [lo, hi]")
    .refine(([lo, hi]) => lo < hi, "must be [lo, hi] with lo < hi")
    .default(d);
const oneOf = <T extends [string, ...string[]]>(values: T, d: T[number]) => z.enum(values).default(d);

const simulationObject = z
  .object({
    dimension: int(2, { min: 1, max: 3 }),
    n_frames: int(1000, { min: 1, max: LIMITS.maxFrames }),
    start_frame: int(0, { min: -LIMITS.maxFrames, max: LIMITS.maxFrames }),
    seed: int(42),
    model_id: str("000"),
    ensemble_id: str("0000"),
    sub_sampling: count(1),
    delta_t: positive(1),
    boundary: oneOf(["periodic", "no", "periodic_special", "wall"], "periodic"),
    min_radius: nonNeg(0),
    max_radius: nonNeg(0.1),
    n_neurons: count(1000, { max: LIMITS.maxNeurons, why: "W is N × N float32" }),
    n_neuron_types: count(5, { max: LIMITS.maxNeurons }),
    n_input_neurons: int(0, { min: 0 }),
    n_edges: int(0, { min: 0 }),
    max_edges: nonNeg(1e6),
    n_extra_null_edges: int(0, { min: 0 }),
    baseline_value: num(-999),
    shuffle_neuron_types: bool(false),
    noise_visual_input: nonNeg(0),
    only_noise_visual_input: nonNeg(0),
    visual_input_type: str(""),
    blank_freq: count(2),
    simulation_initial_state: bool(false),
    external_input_type: oneOf(["none", "signal", "visual", "modulation"], "none"),
    external_input_mode: oneOf(["additive", "multiplicative", "none"], "none"),
    permutation: bool(false),
    signal_input_type: oneOf(["oscillatory", "triggered"], "oscillatory"),
    oscillation_max_amplitude: nonNeg(1),
    oscillation_frequency: nonNeg(5),
    triggered_n_impulses: int(5, { min: 0 }),
    triggered_n_input_neurons: int(10, { min: 0 }),
    triggered_impulse_strength: num(5),
    triggered_min_start_frame: int(50, { min: 0 }),
    triggered_max_start_frame: int(150, { min: 0 }),
    triggered_duration_frames: int(200, { min: 0 }),
    triggered_amplitude_range: nums([0.5, 2.0]),
    triggered_frequency_range: nums([0.5, 2.0]),
    tile_contrast: nonNeg(0.2),
    tile_corr_strength: num(0),
    tile_flip_prob: fraction(0.05),
    tile_seed: int(42),
    n_nodes: integer({ min: 1 }).nullable().default(null),
    node_value_map: z.string().nullable().default("input_data/pattern_Null.tif"),
    adjacency_matrix: str(""),
    short_term_plasticity_mode: str("depression"),
    connectivity_file: str(""),
    connectivity_init: nums([-1]),
    connectivity_filling_factor: positive(1, { max: 1 }),
    connectivity_type: str("none"),
    connectivity_rank: count(1),
    connectivity_parameter: num(1),
    Dale_law: bool(false),
    Dale_law_factor: fraction(0.5),
    excitation_value_map: z.string().nullable().default(null),
    excitation: str("none"),
    params: z.array(z.array(number()).min(1, "a row needs at least one value")).min(1, "needs at least one row"),
    func_params: z.array(z.array(z.unknown())).nullable().default(null),
    phi: str("tanh"),
    tau: positive(1),
    sigma: nonNeg(0.005),
    calcium_type: oneOf(["none", "leaky", "multi-compartment", "saturation"], "none"),
    calcium_activation: oneOf(["softplus", "relu", "identity", "tanh"], "softplus"),
    calcium_tau: positive(0.5),
    calcium_alpha: num(1),
    calcium_beta: num(0),
    calcium_initial: num(0),
    calcium_noise_level: nonNeg(0),
    calcium_saturation_kd: positive(1),
    calcium_num_compartments: count(1),
    calcium_down_sample: count(1),
    pos_init: str("uniform"),
    dpos_init: nonNeg(0),
    noise_model_level: nonNeg(0),
  })
  .strict();

export const simulationSchema = simulationObject.superRefine(checkSimulation);

/**
 * Checks between keys of the simulation section (run only when each key is valid on its own).
 * Each issue names the key it is reported at and, in `params.related`, the other keys involved.
 */
function checkSimulation(sim: z.infer<typeof simulationObject>, ctx: z.RefinementCtx): void {
  const N = sim.n_neurons;
  const K = sim.n_neuron_types;
  const T = sim.n_frames;
  const ok = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  const issue = (key: string, message: string, related: string[]) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message, params: { related } });
  const validN = ok(N, 1, LIMITS.maxNeurons);
  if (validN && ok(K, 1, LIMITS.maxNeurons) && K > N) {
    issue("n_neuron_types", `more neuron types (${K}) than neurons (n_neurons = ${N})`, ["n_neurons"]);
  }
  const S = sim.start_frame;
  if (ok(T, 1, LIMITS.maxFrames) && ok(S, -LIMITS.maxFrames, LIMITS.maxFrames)) {
    // generate stores frames max(0, start_frame) … n_frames (see src/simulate/generate.ts).
    const stored = T + 1 - Math.max(0, S);
    if (stored < LIMITS.minStoredFrames) {
      issue(
        S > 0 ? "start_frame" : "n_frames",
        `stores ${Math.max(0, stored)} frame(s) (n_frames + 1 − max(0, start_frame)); training needs at least ${LIMITS.minStoredFrames}`,
        [S > 0 ? "n_frames" : "start_frame"],
      );
    } else if (validN && stored * N > LIMITS.maxActivityValues) {
      issue(
        "n_frames",
        `the activity [${stored} frames, ${N} neurons] has ${stored * N} values, more than one float32 array holds (${LIMITS.maxActivityValues}, 16 GiB)`,
        ["n_neurons", "start_frame"],
      );
    }
  }
}

export const graphModelSchema = z
  .object({
    particle_model_name: str(""),
    cell_model_name: str(""),
    mesh_model_name: str(""),
    signal_model_name: str(""),
    prediction: oneOf(["first_derivative", "2nd_derivative", "next_activity"], "2nd_derivative"),
    integration: oneOf(["Euler", "Runge-Kutta"], "Euler"),
    aggr_type: z.string(),
    embedding_dim: count(2, { max: LIMITS.maxEmbeddingDim }),
    field_type: str(""),
    field_grid: z.string().nullable().default(""),
    input_size: width(1),
    output_size: width(1),
    hidden_dim: width(1),
    n_layers: layers(1),
    input_size_2: width(1),
    output_size_2: width(1),
    hidden_dim_2: width(1),
    n_layers_2: layers(1),
    input_size_decoder: width(1),
    output_size_decoder: width(1),
    hidden_dim_decoder: width(256),
    n_layers_decoder: layers(3),
    input_size_encoder: width(1),
    output_size_encoder: width(1),
    hidden_dim_encoder: width(256),
    n_layers_encoder: layers(3),
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
    input_size_update: width(3),
    n_layers_update: layers(3),
    hidden_dim_update: width(64),
    output_size_update: width(1),
    kernel_type: str("mlp"),
    input_size_nnr: width(3),
    n_layers_nnr: layers(5),
    hidden_dim_nnr: width(128),
    output_size_nnr: width(1),
    outermost_linear_nnr: bool(true),
    omega: nonNeg(80),
    input_size_nnr_f: width(3),
    n_layers_nnr_f: layers(5),
    hidden_dim_nnr_f: width(128),
    output_size_nnr_f: width(1),
    outermost_linear_nnr_f: bool(true),
    omega_f: nonNeg(80),
    omega_f_learning: bool(false),
    nnr_f_xy_period: positive(1),
    nnr_f_T_period: positive(1),
    inr_type: oneOf(["siren_t", "siren_id", "siren_x", "ngp", "lowrank"], "siren_t"),
    lowrank_rank: count(64),
    lowrank_svd_init: bool(true),
    ngp_n_levels: layers(24),
    ngp_n_features_per_level: count(2),
    ngp_log2_hashmap_size: count(22, { max: 30 }),
    ngp_base_resolution: count(16),
    ngp_per_level_scale: positive(1.4),
    ngp_n_neurons: width(128),
    ngp_n_hidden_layers: layers(4),
    input_size_modulation: width(2),
    n_layers_modulation: layers(3),
    hidden_dim_modulation: width(64),
    output_size_modulation: width(1),
    input_size_excitation: width(3),
    n_layers_excitation: layers(5),
    hidden_dim_excitation: width(128),
    excitation_dim: width(1),
    latent_dim: width(64),
    latent_update_steps: int(50, { min: 0 }),
    stochastic_latent: bool(true),
    latent_init_std: nonNeg(1),
    latent_n_layers_update: layers(2),
    latent_hidden_dim_update: width(64),
  })
  .strict();

export const plottingSchema = z
  .object({
    colormap: str("tab10"),
    arrow_length: nonNeg(10),
    marker_size: nonNeg(100),
    xlim: lim([-0.1, 0.1]),
    ylim: lim([-0.1, 0.1]),
    embedding_lim: lim([-40, 40]),
    speedlim: lim([0, 1]),
    pic_folder: str("none"),
    pic_format: str("jpg"),
    pic_size: nums([1000, 1100]),
    data_embedding: int(1, { min: 0 }),
    plot_batch_size: count(1000),
    label_style: str("MLP"),
    mlp0_xlim: lim([-5, 5]),
    mlp0_ylim: lim([-8, 8]),
    mlp1_xlim: lim([-5, 5]),
    mlp1_ylim: lim([-1.1, 1.1]),
    norm_method: str("median"),
    norm_x_start: number().nullable().default(null),
    norm_x_stop: number().nullable().default(null),
  })
  .strict();

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

export const claudeSchema = z
  .object({
    n_epochs: count(1),
    data_augmentation_loop: count(100),
    n_iter_block: count(24),
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the reference default is the literal 1.414
    ucb_c: nonNeg(1.414),
  })
  .strict();

export const zarrSchema = z
  .object({
    store_fluo: str(""),
    store_seg: str(""),
    axis: int(0, { min: 0, max: 2 }),
    frame: int(0, { min: 0 }),
    contrast: str("1,99.9"),
    rendering: str("1,99.9"),
    dz_um: positive(4),
    dy_um: positive(0.406),
    dx_um: positive(0.406),
    labels_opacity: fraction(0.7),
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
    if (s instanceof z.ZodEffects) {
      s = s._def.schema;
      continue;
    }
    return undefined;
  }
}
