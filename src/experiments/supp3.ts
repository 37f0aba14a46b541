/**
 * Supp Figs 3 and 4 (Notebook_02): Figure 2's recipe with a fixed embedding
 * (training.training_single_type: a_i = (1, 1), one φ* for every neuron), 3 epochs, then the
 * rollout. Paper numbers read from the authors' documentation (spec pdeN2-variants §1).
 */
import type { Experiment } from "./experiment.js";
import { pdeN2Sections } from "./sections.js";

export const supp3: Experiment = {
  id: "supp3",
  title: "Supp Figs 3, 4: fixed embedding (training_single_type), one φ* for all neurons, 3 epochs",
  configs: ["signal_fig_supp_3"],
  small: { signal_fig_supp_3: "supp3_single_type" },
  steps: ["generate", "train", "plot", "test"],
  generalisation: {},
  sections: [
    ...pdeN2Sections("Supp Fig 3"),
    { title: "Rollout (Supp Fig 4)", figures: ["supp2_rollout_t400", "supp2_rollout_t800", "supp2_rollout_quality"] },
  ],
  paper: {
    source: "Supp Figs 3, 4",
    W_r2: "0.922",
    W_slope: "0.93 (two branches)",
    clustering: "one point (fixed embedding): accuracy 0.25",
    rollout: { t400: { r2: 0.913, slope: 0.938 }, t800: { r2: 0.296, slope: 0.479 } },
  },
};
