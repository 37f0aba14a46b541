/**
 * Supp Fig 12 (Notebook_07): 32 neuron types (s ∈ 1…8, c ∈ 1…4), tab20 colours, clustering at
 * distance 0.05, batch 1. Paper numbers read from the authors' documentation (spec
 * pdeN2-variants §5).
 */
import type { Experiment } from "./experiment.js";
import { pdeN2Sections } from "./sections.js";

export const supp12: Experiment = {
  id: "supp12",
  title: "Supp Fig 12: 32 neuron types, clustering at 0.05, batch 1",
  configs: ["signal_fig_supp_12"],
  small: { signal_fig_supp_12: "supp12_32_types" },
  steps: ["generate", "train", "plot"],
  generalisation: {},
  sections: pdeN2Sections("Supp Fig 12"),
  paper: { source: "Supp Fig 12", W_r2: "1.0", W_slope: "1.0", clustering: "32 tight, separated clusters" },
};
