/**
 * Figure 2 (the paper's first notebook): simulation, training, Fig 2b–h, Supp Figs 1, 2, 5 and 6.
 * The paper's numbers are read from the figures of the authors' documentation.
 */
import type { Experiment } from "./experiment.js";

export const fig2: Experiment = {
  id: "fig2",
  title: "Figure 2 and Supp Figs 1, 2, 5, 6: 1000 neurons, 4 types, 100,001 frames (PDE_N2)",
  configs: ["signal_fig_2"],
  small: { signal_fig_2: "quick" },
  steps: ["generate", "train", "plot", "test"],
  generalisation: {
    supp5: {
      newParams: "0.25,10,20,30,40",
      label: "Supp Fig 5",
      paper: { t400: { r2: 1.0, slope: 1.001 }, t800: { r2: 0.983, slope: 0.992 }, weights: 243_831 },
    },
    supp6: {
      newParams: "0.5,60,40,0,0",
      label: "Supp Fig 6",
      paper: { t400: { r2: 0.999, slope: 1.0 }, t800: { r2: 0.91, slope: 0.948 }, weights: 487_401 },
    },
  },
  sections: [
    { title: "Data: the simulated neural assembly", figures: ["fig2b_activity", "fig2c_connectivity_true", "eigenvalues"] },
    { title: "Training", figures: ["training_W_r2", "supp1_training_montage"] },
    {
      title: "Recovered connectivity, neuron types and functions",
      figures: ["fig2d_connectivity_learned", "fig2e_W_learned_vs_true", "fig2f_embeddings", "fig2g_phi", "fig2h_psi"],
    },
    { title: "Rollout (Supp Fig 2)", figures: ["supp2_rollout_t400", "supp2_rollout_t800", "supp2_rollout_quality"] },
  ],
  paper: {
    source: "Figure 2",
    W_r2: "1.0 (≥ 0.9995)",
    W_slope: "1.0",
    clustering: "4 tight clusters",
    rollout: { t400: { r2: 0.987, slope: 0.992 }, t800: { r2: 0.625, slope: 0.805 } },
    training: [
      [18_749, 0.147],
      [43_749, 0.592],
      [68_749, 0.893],
      [93_749, 0.992],
      [118_749, 1.0],
    ],
  },
};
