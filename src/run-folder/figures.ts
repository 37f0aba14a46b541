/**
 * The figure ids of a run folder (figures/<id>.svg and .png) and their captions: producers save
 * under these ids and the report reads them, so a misspelt id is a type error.
 */

/** Figures with a fixed id, in the paper's order, with their captions. */
export const FIGURES = {
  fig2b_activity: "Fig 2b: activity x_i of 100 neurons (offset traces)",
  fig2c_connectivity_true: "Fig 2c: true connectivity W (row i receives from column j), 20×20 inset",
  eigenvalues: "Eigenvalues of W and the spectral radius",
  fig3a_external_input:
    "Fig 3a: the external input Ω_i of the input neurons on their grid at frames 0, T/4, T/2 and 3T/4 " +
    "(rot90 k = 1, viridis 0–1; the reference's external_input.png); the other neurons have Ω = 1",
  fig3e_omega_learned_vs_true:
    "Fig 3e: learned against true external input, √Ω* (× the frame-0 scale s) against √Ω over the scored frames " +
    "(both axes √Ω, as the reference's all_comparison; limits 0.65–1.25)",
  fig3f_omega_true: "Fig 3f: true field √Ω_i of the input neurons at 5 frames (rot90 k = 1, gray 0.7–1.2)",
  fig3g_omega_learned: "Fig 3g: learned field s·√Ω*_i of the input neurons at the same frames (rot90 k = 1, gray 0.7–1.2)",
  training_W_r2: "W R² of learned against true weights during training",
  supp1_training_montage: "Supp Fig 1: embeddings, φ*, ψ*, W and learned-vs-true W over training",
  fig2d_connectivity_learned: "Fig 2d: learned W (same orientation as Fig 2c)",
  fig2e_W_learned_vs_true: "Fig 2e: learned against true W",
  fig2f_embeddings: "Fig 2f: learned embeddings a_i coloured by true type",
  fig2g_phi: "Fig 2g: φ*(a_i, x) of every neuron over the true functions (grey)",
  fig2h_psi: "Fig 2h: ψ*(x)/ψ̄ over tanh (grey)",
  supp13h_psi:
    "Supp Fig 13h: ψ*(a_j, x)/ψ̄_j of every neuron j, coloured by type, over each type's true tanh((x − h)/w) (grey); " +
    "ψ̄_j is the normalisation of plotting.norm_method (Supp Fig 13: max |ψ*| on [0.8·xnorm, xnorm], so a wide " +
    "transfer sits above its truth by 1/tanh(xnorm/w))",
  supp14h_psi_diagonal:
    "Supp Fig 14h: ψ*(a_j, a_j, x)/ψ̄_j of every neuron j (the same-type pair, the curve the normalisation evaluates), " +
    "coloured by type, over each type's true tanh((x − h)/w) − x·ln(w)/50 (grey)",
  supp14h_psi_pairs:
    "Supp Fig 14h: ψ*(aᵢ, aⱼ, xⱼ)·c_k of random neuron pairs, one panel per receiving type k (frame colour), coloured by " +
    "the sending type n, over the truths tanh((x − h_n)/w_k) − x·ln(w_n)/50 (grey); c_k = 1/mean ψ* of type-k receivers " +
    "and type-0 senders on x ∈ [16, 20] (seeded pair draws)",
  supp2_rollout_t400: "Supp Fig 2: rollout, step 400",
  supp2_rollout_t800: "Supp Fig 2: rollout, step 800",
  supp2_rollout_quality: "Rollout R² and slope over time",
  supp7_W_r2_vs_iterations:
    "Supp Fig 7: W R² of learned against true weights over training iterations, one line per dataset size (n_frames)",
  supp9_W_r2_vs_iterations_sparsity:
    "Supp Fig 9: W R² of learned against true weights over training iterations, one line per connectivity filling factor " +
    "(in the paper's configs the 100 % run has batch size 8 and lr_W 1e−3, the sparse ones batch size 1 and 1e−4)",
} as const;

/** Figures that overlay several runs (an experiment's configs, from each run's models/metrics.jsonl). */
export const MULTI_RUN_FIGURES = [
  "supp7_W_r2_vs_iterations",
  "supp9_W_r2_vs_iterations_sparsity",
] as const satisfies readonly FixedFigureId[];

export type FixedFigureId = keyof typeof FIGURES;

/** A figure over an experiment's configs (runs/<experiment id>/figures/). */
export type OverlayFigureId = (typeof MULTI_RUN_FIGURES)[number];

/** The panels of one generalisation case (`key` = supp5, supp6 or ff…_types…). */
export function generalisationFigures(key: string) {
  // The paper's cases are named after their panels (Supp Fig 5e,f: step 400; 5g,h: step 800).
  const paper = /^supp\d+$/.test(key);
  return {
    histogram: `${key}b_type_histogram`,
    connectivity: `${key}d_connectivity`,
    t400: paper ? `${key}ef_rollout_t400` : `${key}_rollout_t400`,
    t800: paper ? `${key}gh_rollout_t800` : `${key}_rollout_t800`,
    quality: `${key}_rollout_quality`,
  } as const;
}

export type GeneralisationFigureId = ReturnType<typeof generalisationFigures>[keyof ReturnType<typeof generalisationFigures>];
export type FigureId = FixedFigureId | GeneralisationFigureId;

/** Captions of a generalisation case's panels, `label` e.g. "Supp Fig 5". */
export function generalisationCaptions(key: string, label: string): [FigureId, string][] {
  const f = generalisationFigures(key);
  return [
    [f.histogram, `${label}b: new neuron types`],
    [f.connectivity, `${label}d: new connectivity`],
    [f.t400, `${label}e,f: step 400`],
    [f.t800, `${label}g,h: step 800`],
    [f.quality, `${label}: rollout R² and slope over time`],
  ];
}
