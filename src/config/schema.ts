/**
 * The config schema: the reference implementation's YAML schema (sections simulation, graph_model,
 * plotting, training, claude, zarr), with its defaults. It is the single source of truth for config
 * types, defaults and validation. Unknown keys are errors (as in the reference, `extra="forbid"`).
 * Keys stay snake_case exactly as in the reference's YAML. Value ranges (counts ≥ 1, delta_t > 0,
 * rates ≥ 0, the size limits in `LIMITS`, more neurons than types, …) are checked here too, so every
 * command refuses the same configs when it loads them, before it writes anything.
 */
import { z } from "zod";

import {
  LIMITS,
  bool,
  count,
  fraction,
  int,
  integer,
  layers,
  lim,
  nonNeg,
  num,
  number,
  nums,
  oneOf,
  positive,
  str,
  width,
} from "./fields.js";
import { trainingSchema } from "./training-schema.js";

export { LIMITS } from "./fields.js";
export { trainingSchema };

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
    /**
     * neural-gnn extension (not in the reference): the visual input's grid width w; the video
     * (node_value_map) is block-mean downsampled to w×w, and n_input_neurons must be w². null: the
     * video's own width (the reference). Figure 3's small form shows the 32×32 film on 16×16.
     */
    visual_input_width: integer({ min: 1 }).nullable().default(null),
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
